namespace Switchboard.Email.Parsing;

/// <summary>
/// Looks at the raw top-level header section before MimeKit does: measures it against the limit and
/// repairs the two breakages that make MimeKit give up or lose headers (a non-header line before the
/// first field, and folded lines whose leading whitespace was stripped by some relay).
/// </summary>
internal static class HeaderSection
{
    /// <summary>How far past a broken line we look for another field before calling it the body.</summary>
    private const int RepairLookahead = 6;

    /// <summary>
    /// The length of the header section including the blank line that ends it, or -1 when no blank line
    /// occurs in the first <paramref name="scanLimit"/> bytes.
    /// </summary>
    public static int Measure(ReadOnlySpan<byte> raw, int scanLimit)
    {
        var span = raw[..Math.Min(raw.Length, scanLimit)];
        if (StartsWithNewLine(span, 0, out var first))
        {
            return first;
        }

        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == (byte)'\n' && StartsWithNewLine(span, i + 1, out var blank))
            {
                return i + 1 + blank;
            }
        }

        return -1;
    }

    /// <summary>Returns the message with its header section repaired, or the same array when it was sound.</summary>
    public static byte[] Repair(byte[] raw, int headerLength)
    {
        var end = headerLength < 0 ? raw.Length : headerLength;
        var lines = SplitLines(raw, end);
        if (lines.Count == 0)
        {
            return raw;
        }

        var firstField = -1;
        for (var i = 0; i < Math.Min(lines.Count, RepairLookahead); i++)
        {
            if (IsField(raw, lines[i]))
            {
                firstField = i;
                break;
            }
        }

        if (firstField < 0)
        {
            return raw;
        }

        var drop = firstField;
        var continuations = new HashSet<int>();
        for (var i = firstField + 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (IsBlank(raw, line))
            {
                break;
            }

            if (IsField(raw, line) || IsFolded(raw, line))
            {
                continue;
            }

            var fieldFollows = false;
            for (var j = i + 1; j < Math.Min(lines.Count, i + 1 + RepairLookahead); j++)
            {
                if (IsBlank(raw, lines[j]))
                {
                    break;
                }

                if (IsField(raw, lines[j]))
                {
                    fieldFollows = true;
                    break;
                }
            }

            if (!fieldFollows)
            {
                break;
            }

            continuations.Add(i);
        }

        if (drop == 0 && continuations.Count == 0)
        {
            return raw;
        }

        using var output = new MemoryStream(raw.Length + continuations.Count);
        var start = lines[drop].Start;
        for (var i = drop; i < lines.Count; i++)
        {
            if (continuations.Contains(i))
            {
                output.Write(raw, start, lines[i].Start - start);
                output.WriteByte((byte)' ');
                start = lines[i].Start;
            }
        }

        output.Write(raw, start, raw.Length - start);
        return output.ToArray();
    }

    private static bool StartsWithNewLine(ReadOnlySpan<byte> span, int index, out int length)
    {
        length = 0;
        if (index < span.Length && span[index] == (byte)'\n')
        {
            length = 1;
        }
        else if (index + 1 < span.Length && span[index] == (byte)'\r' && span[index + 1] == (byte)'\n')
        {
            length = 2;
        }

        return length > 0;
    }

    private readonly record struct Line(int Start, int Length);

    private static List<Line> SplitLines(byte[] raw, int end)
    {
        var lines = new List<Line>();
        var start = 0;
        for (var i = 0; i < end; i++)
        {
            if (raw[i] == (byte)'\n')
            {
                lines.Add(new Line(start, i + 1 - start));
                start = i + 1;
            }
        }

        if (start < end)
        {
            lines.Add(new Line(start, end - start));
        }

        return lines;
    }

    private static bool IsBlank(byte[] raw, Line line)
    {
        var span = raw.AsSpan(line.Start, line.Length);
        return span.TrimEnd("\r\n"u8).IsEmpty;
    }

    private static bool IsFolded(byte[] raw, Line line) =>
        line.Length > 0 && (raw[line.Start] == (byte)' ' || raw[line.Start] == (byte)'\t');

    /// <summary>A field: printable ASCII other than colon and space, then optional blanks, then a colon.</summary>
    private static bool IsField(byte[] raw, Line line)
    {
        var span = raw.AsSpan(line.Start, line.Length);
        var i = 0;
        while (i < span.Length && span[i] > 32 && span[i] < 127 && span[i] != (byte)':')
        {
            i++;
        }

        if (i == 0)
        {
            return false;
        }

        while (i < span.Length && (span[i] == (byte)' ' || span[i] == (byte)'\t'))
        {
            i++;
        }

        return i < span.Length && span[i] == (byte)':';
    }
}
