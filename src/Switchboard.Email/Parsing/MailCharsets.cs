using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Switchboard.Email.Parsing;

/// <summary>
/// Turns the bytes of a text part into a string, surviving the charsets found in real mail: legacy
/// code pages, labels that lie (UTF-8 declared as ISO-8859-1, GBK declared as GB2312) and none at all.
/// </summary>
internal static partial class MailCharsets
{
    static MailCharsets()
    {
        // GB2312/GBK, Big5, ISO-2022-JP, windows-125x and ISO-8859-x live in the code-pages provider;
        // MimeKit's TNEF reader also needs windows-1252 from it before its first use.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
        Gb18030 = Encoding.GetEncoding(54936);
        Iso2022Jp = Encoding.GetEncoding("iso-2022-jp");
        Utf8Lenient = Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, new Windows1252Fallback());
    }

    public static Encoding Windows1252 { get; }

    private static Encoding Gb18030 { get; }

    public static Encoding Iso2022Jp { get; }

    /// <summary>UTF-8 that reads a stray invalid byte as windows-1252 instead of dropping it.</summary>
    private static Encoding Utf8Lenient { get; }

    /// <summary>Registers the code pages; call before MimeKit touches any legacy charset.</summary>
    public static void EnsureRegistered()
    {
        _ = Windows1252;
    }

    /// <summary>
    /// MimeKit probes the legacy charsets once, when it is first used, and remembers the ones missing
    /// then for the life of the process; so the code pages are registered as soon as this module loads.
    /// </summary>
#pragma warning disable CA2255 // The initializer only registers an encoding provider, which must precede any MimeKit use.
    [ModuleInitializer]
    internal static void RegisterOnLoad() => EnsureRegistered();
#pragma warning restore CA2255

    public static ParserOptions CreateParserOptions(int maxMimeDepth)
    {
        EnsureRegistered();
        var options = ParserOptions.Default.Clone();
        // 8-bit header bytes are tried as UTF-8 first, then as windows-1252, the usual undeclared charset.
        options.CharsetEncoding = Windows1252;
        // MimeKit stops recursing below this depth; the walker then sees the excess and quarantines.
        options.MaxMimeDepth = maxMimeDepth + 2;
        return options;
    }

    /// <summary>Resolves a declared charset; null when it is missing, unknown or plain ASCII.</summary>
    public static Encoding? Resolve(string? charset)
    {
        EnsureRegistered();
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        var name = charset.Trim().Trim('"', '\'').ToLowerInvariant();
        switch (name)
        {
            case "us-ascii" or "ascii" or "ansi_x3.4-1968" or "iso646-us" or "x-unknown" or "unknown" or "unknown-8bit" or "default" or "x-user-defined":
                return null;
            case "utf8" or "utf-8" or "x-utf-8":
                return Encoding.UTF8;
            case "utf-7" or "utf7" or "unicode-1-1-utf-7" or "x-unicode-1-1-utf-7" or "x-unicode-2-0-utf-7":
                return Utf7;
            case "gb2312" or "iso-gb2312" or "gbk" or "x-gbk" or "cp936" or "euc-cn" or "x-euc-cn" or "gb_2312-80" or "chinese" or "csgb2312" or "gb18030":
                // Mail labelled GB2312 routinely carries GBK characters; GB18030 decodes both.
                return Gb18030;
            case "iso-8859-1" or "latin1" or "iso_8859-1" or "l1" or "cp819" or "iso8859-1" or "windows-1252" or "cp1252" or "cp-1252":
                // As browsers do: the C1 range of ISO-8859-1 mail is windows-1252 in practice.
                return Windows1252;
            case "ks_c_5601-1987" or "ks_c_5601" or "ksc5601" or "euc-kr" or "cp949":
                return Encoding.GetEncoding(949);
            case "iso-8859-8-i":
                return Encoding.GetEncoding("iso-8859-8");
            default:
                break;
        }

        var codePage = CodePageName().Match(name);
        if (codePage.Success && int.TryParse(codePage.Groups[1].ValueSpan, out var number))
        {
            return TryGetEncoding(number);
        }

        var iso = IsoName().Match(name);
        if (iso.Success)
        {
            name = "iso-8859-" + iso.Groups[1].Value;
        }

        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Decodes text bytes. A declaration is trusted unless the bytes prove it wrong: any label gives way
    /// to text that is (mostly) well-formed UTF-8, a missing label to a guess from the bytes, and
    /// ISO-2022-JP with 8-bit bytes to Shift_JIS or EUC-JP.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? declaredCharset)
    {
        if (bytes.IsEmpty)
        {
            return "";
        }

        var declared = Resolve(declaredCharset);
        if (declared is null || declared.IsSingleByte)
        {
            if (System.Text.Ascii.IsValid(bytes))
            {
                return Encoding.ASCII.GetString(bytes);
            }

            if (IsValidUtf8(bytes))
            {
                return Encoding.UTF8.GetString(bytes);
            }

            return (declared ?? GuessUndeclared(bytes)).GetString(bytes);
        }

        if (declared.CodePage == Encoding.UTF8.CodePage)
        {
            return IsValidUtf8(bytes) || HasUtf8Sequences(bytes)
                ? Utf8Lenient.GetString(bytes)
                : GuessUndeclared(bytes).GetString(bytes);
        }

        // Text that is mostly well-formed UTF-8 is hardly ever anything else, whatever the label says.
        if (!System.Text.Ascii.IsValid(bytes) && declared.CodePage is not (1200 or 1201 or 12000 or 12001 or 65000)
            && (IsValidUtf8(bytes) || HasUtf8Sequences(bytes)))
        {
            return Utf8Lenient.GetString(bytes);
        }

        if (declared.CodePage is 50220 or 50221 or 50222 && !System.Text.Ascii.IsValid(bytes) && DecodeJapanese8Bit(bytes) is { } japanese)
        {
            return japanese;
        }

        var text = declared.GetString(bytes);
        if (text.Contains('\uFFFD', StringComparison.Ordinal) && IsValidUtf8(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return text;
    }

    /// <summary>
    /// Guesses the charset of 8-bit text that declares none and is not UTF-8: ISO-2022-JP by its escape
    /// sequences; windows-1252 when the high bytes sit in words of ASCII letters or stand alone (accents
    /// in Western text); windows-1251 when whole words of high bytes sit mostly at the top of the range
    /// (Cyrillic lower case); otherwise GB18030 if it decodes cleanly (undeclared Chinese).
    /// </summary>
    public static Encoding GuessUndeclared(ReadOnlySpan<byte> bytes)
    {
        EnsureRegistered();
        if (bytes.IndexOf("\u001b$B"u8) >= 0 || bytes.IndexOf("\u001b$@"u8) >= 0)
        {
            return Iso2022Jp;
        }

        int high = 0, top = 0, runs = 0, runsInWords = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] < 0x80)
            {
                continue;
            }

            var start = i;
            while (i < bytes.Length && bytes[i] >= 0x80)
            {
                top += bytes[i] >= 0xE0 ? 1 : 0;
                i++;
            }

            runs++;
            high += i - start;
            var letterBefore = start > 0 && char.IsAsciiLetter((char)bytes[start - 1]);
            var letterAfter = i < bytes.Length && char.IsAsciiLetter((char)bytes[i]);
            runsInWords += letterBefore || letterAfter ? 1 : 0;
        }

        if (runs == 0 || runsInWords * 2 >= runs || high <= runs * 3 / 2)
        {
            return Windows1252;
        }

        if (top * 10 > high * 6)
        {
            return Encoding.GetEncoding(1251);
        }

        try
        {
            _ = StrictGb18030.GetCharCount(bytes);
            return Gb18030;
        }
        catch (DecoderFallbackException)
        {
            return Windows1252;
        }
    }

    /// <summary>
    /// Reads 8-bit bytes that were labelled ISO-2022-JP (a 7-bit charset): UTF-8, Shift_JIS or EUC-JP,
    /// whichever decodes without error; null when none does.
    /// </summary>
    public static string? DecodeJapanese8Bit(ReadOnlySpan<byte> bytes)
    {
        if (IsValidUtf8(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return JapaneseFor(bytes)?.GetString(bytes);
    }

    /// <summary>Shift_JIS or EUC-JP, whichever reads the bytes without error; null when neither does.</summary>
    public static Encoding? JapaneseFor(ReadOnlySpan<byte> bytes)
    {
        foreach (var codePage in new[] { 932, 51932 })
        {
            var strict = Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            try
            {
                _ = strict.GetCharCount(bytes);
                return Encoding.GetEncoding(codePage);
            }
            catch (DecoderFallbackException)
            {
                // Not this charset; try the next.
            }
        }

        return null;
    }

    private static Encoding StrictGb18030 => Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>Finds a charset declared by an HTML document itself (meta charset or http-equiv).</summary>
    public static string? FindHtmlMetaCharset(ReadOnlySpan<byte> html)
    {
        var head = Encoding.ASCII.GetString(html[..Math.Min(html.Length, 4096)]);
        var match = MetaCharset().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// Re-reads a header value whose raw 8-bit bytes MimeKit had to guess (as windows-1252) with the
    /// charset the part or its parents declare, as GB2312 mail clients send undeclared file names.
    /// </summary>
    public static string RedecodeWithHint(string value, string? hintCharset)
    {
        if (hintCharset is null || value.All(c => c < 0x80))
        {
            return value;
        }

        var hint = Resolve(hintCharset);
        if (hint is null || hint.IsSingleByte || hint.CodePage == Encoding.UTF8.CodePage)
        {
            return value;
        }

        foreach (var guessed in new[] { Windows1252, Encoding.Latin1 })
        {
            var bytes = guessed.GetBytes(value);
            if (!string.Equals(guessed.GetString(bytes), value, StringComparison.Ordinal))
            {
                continue;
            }

            var decoded = hint.GetString(bytes);
            return decoded.Contains('\uFFFD', StringComparison.Ordinal) ? value : decoded;
        }

        return value;
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>True when the bytes contain at least a few well-formed multi-byte UTF-8 sequences.</summary>
    private static bool HasUtf8Sequences(ReadOnlySpan<byte> bytes)
    {
        int valid = 0, invalid = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b < 0x80)
            {
                continue;
            }

            var length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0;
            if (length == 0 || i + length > bytes.Length || !System.Text.Unicode.Utf8.IsValid(bytes.Slice(i, length)))
            {
                invalid++;
                continue;
            }

            valid++;
            i += length - 1;
        }

        return valid > invalid;
    }

    private static Encoding? TryGetEncoding(int codePage)
    {
        try
        {
            return Encoding.GetEncoding(codePage);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    // .NET disables UTF-7 for producing text; decoding what old Exchange servers sent is still needed.
#pragma warning disable SYSLIB0001
    private static Encoding Utf7 { get; } = new UTF7Encoding(allowOptionals: true);
#pragma warning restore SYSLIB0001

    [GeneratedRegex(@"^(?:cp|windows|x-cp|ms)-?(\d{3,5})$")]
    private static partial Regex CodePageName();

    [GeneratedRegex(@"^iso[-_ ]?8859[-_ ]?(\d{1,2})$")]
    private static partial Regex IsoName();

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?\s*([A-Za-z0-9_\-:.]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();

    /// <summary>Decodes each byte that is not valid UTF-8 as windows-1252, as most such bytes are.</summary>
    private sealed class Windows1252Fallback : DecoderFallback
    {
        public override int MaxCharCount => 4;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private string _chars = "";
            private int _position;

            public override int Remaining => _chars.Length - _position;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _chars = Windows1252.GetString(bytesUnknown);
                _position = 0;
                return _chars.Length > 0;
            }

            public override char GetNextChar() => _position < _chars.Length ? _chars[_position++] : '\0';

            public override bool MovePrevious()
            {
                if (_position == 0)
                {
                    return false;
                }

                _position--;
                return true;
            }

            public override void Reset()
            {
                _chars = "";
                _position = 0;
            }
        }
    }
}
