using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Switchboard.Email.Parsing;

/// <summary>
/// Decodes headers from their raw bytes, where MimeKit's decoded values fall short: text headers keep
/// the spacing inside encoded words, raw ISO-2022-JP (7-bit, with escape sequences) is read as such, and
/// raw 8-bit text that is not UTF-8 is read with the charset the message's body declares, or a guess.
/// </summary>
internal static partial class MailHeaders
{
    /// <summary>The message's own charset hint: the first non-Unicode charset its text parts declare.</summary>
    public static string? CharsetHint(MimeMessage message)
    {
        foreach (var part in message.BodyParts)
        {
            var charset = part.ContentType.Charset;
            var encoding = MailCharsets.Resolve(charset);
            if (encoding is not null && encoding.CodePage != Encoding.UTF8.CodePage)
            {
                return charset;
            }
        }

        return null;
    }

    /// <summary>An unstructured header (Subject) decoded from its raw value; null when the header is missing.</summary>
    public static string? Text(MimeMessage message, HeaderId id, string? charsetHint)
    {
        var index = message.Headers.IndexOf(id);
        if (index < 0)
        {
            return null;
        }

        var raw = Unfold(message.Headers[index].RawValue);
        var (bytes, options, _) = Prepare(raw, charsetHint);
        return Rfc2047.DecodeText(options, bytes);
    }

    /// <summary>All mailboxes of every header with this id, decoded from the raw values where MimeKit's reading falls short.</summary>
    public static InternetAddressList Addresses(MimeMessage message, HeaderId id, string? charsetHint)
    {
        var result = new InternetAddressList();
        foreach (var header in message.Headers.Where(header => header.Id == id))
        {
            var (bytes, options, _) = Prepare(header.RawValue, charsetHint);
            if (InternetAddressList.TryParse(options, bytes, out var list))
            {
                result.AddRange(list);
                continue;
            }

            // One bad entry ("Name" <>) fails the whole list; read the entries one by one instead.
            foreach (var piece in SplitAddresses(Encoding.UTF8.GetString(bytes)))
            {
                if (InternetAddressList.TryParse(options, piece, out var single))
                {
                    result.AddRange(single);
                }
            }
        }

        return result;
    }

    /// <summary>Splits an address list at commas outside quotes, comments and angle brackets.</summary>
    private static IEnumerable<string> SplitAddresses(string value)
    {
        var quoted = false;
        int comment = 0, angle = 0, start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '\\':
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '(' when !quoted:
                    comment++;
                    break;
                case ')' when !quoted && comment > 0:
                    comment--;
                    break;
                case '<' when !quoted && comment == 0:
                    angle++;
                    break;
                case '>' when !quoted && comment == 0 && angle > 0:
                    angle--;
                    break;
                case ',' when !quoted && comment == 0 && angle == 0:
                    yield return value[start..i];
                    start = i + 1;
                    break;
                default:
                    break;
            }
        }

        yield return value[start..];
    }

    private static (byte[] Bytes, ParserOptions Options, bool Changed) Prepare(byte[] raw, string? charsetHint)
    {
        var options = MailCharsets.CreateParserOptions(0);
        if (raw.AsSpan().IndexOf((byte)0x1B) >= 0)
        {
            // ISO-2022-JP is 7-bit, so it passes as ASCII; read it before any other decoding.
            return (Encoding.UTF8.GetBytes(MailCharsets.Iso2022Jp.GetString(raw)), options, true);
        }

        if (!Ascii.IsValid(raw) && !System.Text.Unicode.Utf8.IsValid(raw))
        {
            var hint = MailCharsets.Resolve(charsetHint);
            options.CharsetEncoding = hint is null || IsLatin(hint) ? MailCharsets.GuessUndeclared(raw)
                : hint.CodePage is 50220 or 50221 or 50222 ? MailCharsets.JapaneseFor(raw) ?? MailCharsets.GuessUndeclared(raw)
                : hint;
            return (raw, options, true);
        }

        var repaired = RepairJapaneseEncodedWords(raw);
        return (repaired, options, !ReferenceEquals(repaired, raw));
    }

    /// <summary>
    /// Japanese mailers label Shift_JIS or EUC-JP encoded words as ISO-2022-JP; MimeKit then shows
    /// mojibake. Such words (8-bit bytes cannot be ISO-2022-JP) are re-encoded as UTF-8.
    /// </summary>
    private static byte[] RepairJapaneseEncodedWords(byte[] raw)
    {
        var text = Encoding.Latin1.GetString(raw);
        if (!text.Contains("=?iso-2022-jp?", StringComparison.OrdinalIgnoreCase))
        {
            return raw;
        }

        var repaired = Iso2022JpWord().Replace(text, match =>
        {
            var payload = match.Groups["text"].Value;
            byte[] bytes;
            try
            {
                bytes = match.Groups["encoding"].Value is "B" or "b"
                    ? Convert.FromBase64String(payload)
                    : DecodeQ(payload);
            }
            catch (FormatException)
            {
                return match.Value;
            }

            if (Ascii.IsValid(bytes) || MailCharsets.DecodeJapanese8Bit(bytes) is not { } decoded)
            {
                return match.Value;
            }

            return "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(decoded)) + "?=";
        });
        return string.Equals(repaired, text, StringComparison.Ordinal) ? raw : Encoding.Latin1.GetBytes(repaired);
    }

    private static byte[] DecodeQ(string payload)
    {
        var output = new List<byte>(payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            if (payload[i] == '=' && i + 2 < payload.Length && byte.TryParse(payload.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                output.Add(b);
                i += 2;
            }
            else
            {
                output.Add(payload[i] == '_' ? (byte)' ' : (byte)payload[i]);
            }
        }

        return [.. output];
    }

    private static bool IsLatin(Encoding encoding) => encoding.CodePage is 1252 or 28591 or 28605 or 20127;

    /// <summary>Removes the line breaks of folding, keeps the blanks, and trims the ends (RFC 5322 section 2.2.3).</summary>
    private static byte[] Unfold(byte[] raw)
    {
        var output = new List<byte>(raw.Length);
        foreach (var b in raw)
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            output.Add(b);
        }

        var span = output.ToArray().AsSpan().Trim(" \t"u8);
        return span.ToArray();
    }

    [GeneratedRegex(@"=\?iso-2022-jp(?:\*[^?]*)?\?(?<encoding>[BbQq])\?(?<text>[^?\s]*)\?=", RegexOptions.IgnoreCase)]
    private static partial Regex Iso2022JpWord();
}
