using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Switchboard.Email.Parsing;

/// <summary>Reads address headers into <see cref="ParsedAddress"/> values, salvaging what broken senders write.</summary>
internal static partial class MailAddresses
{
    /// <summary>Every mailbox of a header, groups flattened, in order.</summary>
    public static IReadOnlyList<ParsedAddress> FromList(InternetAddressList list) =>
        [.. list.Mailboxes.Select(Normalize).Where(address => address.Address.Length > 0)];

    /// <summary>Parses a header value; falls back to the addresses that can be recognized in it.</summary>
    public static IReadOnlyList<ParsedAddress> Parse(ParserOptions options, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        if (InternetAddressList.TryParse(options, value, out var list))
        {
            var parsed = FromList(list);
            if (parsed.Count > 0 || !value.Contains('@', StringComparison.Ordinal))
            {
                return parsed;
            }
        }

        return Salvage(value) is { } salvaged ? [salvaged] : [];
    }

    /// <summary>
    /// The sender to answer: the first From mailbox with a real address, else what can be recognized in a
    /// broken From header, else Reply-To, Sender or the envelope sender, else a local name such as
    /// MAILER-DAEMON.
    /// </summary>
    public static ParsedAddress? SelectSender(
        InternetAddressList fromHeader, string? rawFrom, InternetAddressList replyTo, InternetAddressList sender, string? returnPath)
    {
        var from = FromList(fromHeader);
        var candidate = from.FirstOrDefault(HasDomain);
        if (candidate is not null)
        {
            return candidate;
        }

        if (rawFrom is not null && Salvage(rawFrom) is { } salvaged)
        {
            return salvaged;
        }

        candidate = FromList(replyTo).FirstOrDefault(HasDomain) ?? FromList(sender).FirstOrDefault(HasDomain);
        if (candidate is not null)
        {
            return candidate;
        }

        if (!string.IsNullOrEmpty(returnPath) && returnPath.Contains('@', StringComparison.Ordinal))
        {
            return new ParsedAddress(returnPath, null);
        }

        return from.Count > 0 ? from[0] : null;
    }

    /// <summary>
    /// Trims the parts and repairs one common breakage: "=?charset?Q?Name?= (user@example.com)", where
    /// the name sits in the address slot and the address in the comment.
    /// </summary>
    public static ParsedAddress Normalize(MailboxAddress mailbox)
    {
        var address = mailbox.Address?.Trim() ?? "";
        var name = mailbox.Name?.Trim();
        if (!address.Contains('@', StringComparison.Ordinal) && name is not null && AddrSpec().IsMatch(name))
        {
            var decoded = Rfc2047.DecodePhrase(Encoding.UTF8.GetBytes(address)).Trim();
            (address, name) = (name, decoded);
        }

        return new ParsedAddress(address, string.IsNullOrEmpty(name) ? null : name);
    }

    /// <summary>The Return-Path address; "" for the null path &lt;&gt;, null when the header is missing.</summary>
    public static string? ReadReturnPath(MimeMessage message)
    {
        var value = message.Headers[HeaderId.ReturnPath];
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.StartsWith('<'))
        {
            var end = trimmed.IndexOf('>', StringComparison.Ordinal);
            trimmed = end < 0 ? trimmed[1..] : trimmed[1..end];
        }

        return trimmed.Trim();
    }

    private static bool HasDomain(ParsedAddress address) => address.Address.Contains('@', StringComparison.Ordinal);

    private static ParsedAddress? Salvage(string value)
    {
        var match = LooseAddress().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var name = value[..match.Index].Trim().Trim('"', '\'', '<', ' ').Trim();
        return new ParsedAddress(match.Value, name.Length == 0 ? null : name);
    }

    [GeneratedRegex(@"^[^\s@<>()""]+@[^\s@<>()""]+\.[^\s@<>()""]+$")]
    private static partial Regex AddrSpec();

    [GeneratedRegex(@"[^\s<>""(),;:]+@[^\s<>""(),;:]+\.[^\s<>""(),;:]+")]
    private static partial Regex LooseAddress();
}
