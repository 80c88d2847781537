using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Switchboard.Email.Parsing;

/// <summary>Gives every attachment a file name, also when the sender gave none, and keeps the names of one message distinct.</summary>
internal static partial class AttachmentNames
{
    private static readonly Dictionary<string, (string Extension, string Name)> Generic = new(StringComparer.OrdinalIgnoreCase)
    {
        ["message/delivery-status"] = ("txt", "delivery-status"),
        ["text/rfc822-headers"] = ("txt", "returned-headers"),
        ["text/plain"] = ("txt", "document"),
        ["text/html"] = ("html", "document"),
        ["text/calendar"] = ("ics", "invite"),
        ["video/quicktime"] = ("mov", "video"),
        ["image/jpeg"] = ("jpg", "image"),
        ["image/jpg"] = ("jpg", "image"),
        ["image/pjpeg"] = ("jpg", "image"),
        ["image/png"] = ("png", "image"),
        ["image/gif"] = ("gif", "image"),
        ["application/ms-tnef"] = ("dat", "winmail"),
        ["application/vnd.ms-tnef"] = ("dat", "winmail"),
    };

    /// <summary>
    /// The sender's name (Content-Disposition filename, then Content-Type name), else one derived from
    /// the part: an attached message's subject, the Content-Location, the description or the type,
    /// the Content-ID; null when nothing fits (a generic name is given later).
    /// </summary>
    public static string? Choose(MimeEntity entity, string? charsetHint)
    {
        var given = Clean(entity.ContentDisposition?.FileName) ?? Clean(entity.ContentType.Name);
        if (given is not null)
        {
            if (given.Contains('?', StringComparison.Ordinal) || given.Contains('\uFFFD', StringComparison.Ordinal))
            {
                given = Clean(DecodeRfc2231(entity.Headers[HeaderId.ContentDisposition], "filename"))
                    ?? Clean(DecodeRfc2231(entity.Headers[HeaderId.ContentType], "name"))
                    ?? given;
            }

            return MailCharsets.RedecodeWithHint(given, entity.ContentType.Charset ?? charsetHint);
        }

        var description = Clean(entity.Headers[HeaderId.ContentDescription], isFileName: false);
        if (entity is MessagePart message && entity is not TextRfc822Headers)
        {
            var subject = message.Message is { } attached
                ? Clean(MailHeaders.Text(attached, HeaderId.Subject, MailHeaders.CharsetHint(attached)), isFileName: false)
                : null;
            return (subject ?? description ?? "message") + ".eml";
        }

        if (Clean(entity.ContentLocation?.OriginalString) is { } location)
        {
            return location;
        }

        // Outlook names inline images in the Content-ID: "image001.jpg@01CDB132.D8A510F0".
        var contentIdName = ContentIdName(entity.ContentId);
        if (contentIdName is not null && FileNameWithExtension().IsMatch(contentIdName))
        {
            return contentIdName;
        }

        if (Generic.TryGetValue(entity.ContentType.MimeType, out var generic))
        {
            return $"{description ?? generic.Name}.{generic.Extension}";
        }

        return contentIdName;
    }

    /// <summary>
    /// Reads an RFC 2231 parameter (name*=charset'lang'value, possibly in numbered sections) from the raw
    /// header, for names whose declared charset cannot hold their bytes ("us-ascii" with a Latin-1 umlaut).
    /// </summary>
    private static string? DecodeRfc2231(string? header, string parameter)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var sections = Rfc2231Section().Matches(header)
            .Where(m => m.Groups["name"].Value.Equals(parameter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(m => m.Groups["index"].Success ? int.Parse(m.Groups["index"].ValueSpan, CultureInfo.InvariantCulture) : 0)
            .ToList();
        if (sections.Count == 0 || !sections[0].Groups["encoded"].Success)
        {
            return null;
        }

        string? charset = null;
        var bytes = new List<byte>();
        for (var i = 0; i < sections.Count; i++)
        {
            var value = sections[i].Groups["value"].Value;
            if (i == 0)
            {
                var parts = value.Split('\'', 3);
                if (parts.Length == 3)
                {
                    charset = parts[0];
                    value = parts[2];
                }
            }

            if (sections[i].Groups["encoded"].Success)
            {
                bytes.AddRange(PercentDecode(value));
            }
            else
            {
                bytes.AddRange(Encoding.Latin1.GetBytes(value));
            }
        }

        return MailCharsets.Decode(bytes.ToArray(), charset);
    }

    private static byte[] PercentDecode(string value)
    {
        var output = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                output.Add(b);
                i += 2;
            }
            else
            {
                output.Add(value[i] < 256 ? (byte)value[i] : (byte)'?');
            }
        }

        return [.. output];
    }

    private static string? ContentIdName(string? contentId)
    {
        if (string.IsNullOrWhiteSpace(contentId))
        {
            return null;
        }

        var at = contentId.IndexOf('@', StringComparison.Ordinal);
        return Clean(at > 0 ? contentId[..at] : contentId);
    }

    /// <summary>Fills in missing names and makes duplicates distinct: "video.mov", "video1.mov".</summary>
    public static void MakeUnique(IEnumerable<PendingAttachment> attachments)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attachment in attachments)
        {
            var name = attachment.FileName ?? DefaultName(attachment.ContentType);
            if (!used.Add(name))
            {
                var dot = name.LastIndexOf('.');
                var stem = dot > 0 ? name[..dot] : name;
                var extension = dot > 0 ? name[dot..] : "";
                for (var i = 1; ; i++)
                {
                    var candidate = $"{stem}{i}{extension}";
                    if (used.Add(candidate))
                    {
                        name = candidate;
                        break;
                    }
                }
            }

            attachment.FileName = name;
        }
    }

    private static string DefaultName(string contentType) =>
        MimeTypes.TryGetExtension(contentType, out var extension) && contentType != "application/octet-stream"
            ? "file" + extension
            : "file";

    /// <summary>
    /// Drops a sender's path (C:\Users\file.pdf), or for names made from text such as a subject
    /// turns slashes into dashes; control characters become spaces. Null when nothing is left.
    /// </summary>
    private static string? Clean(string? name, bool isFileName = true)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var cut = name.LastIndexOfAny(['/', '\\']);
        if (isFileName && cut >= 0 && cut < name.Length - 1)
        {
            name = name[(cut + 1)..];
        }

        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsControl(c) ? ' ' : c is '/' or '\\' ? '-' : c);
        }

        var cleaned = builder.ToString().Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    [GeneratedRegex(@"(?:^|;)\s*(?<name>[A-Za-z]+)\*(?:(?<index>\d+)(?<encoded>\*)?|(?<encoded>))=\s*""?(?<value>[^"";]*)""?", RegexOptions.ExplicitCapture)]
    private static partial Regex Rfc2231Section();

    [GeneratedRegex(@"^.+\.[A-Za-z0-9]{2,6}$")]
    private static partial Regex FileNameWithExtension();
}
