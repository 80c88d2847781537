using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Switchboard.Email.Parsing;

/// <summary>
/// Recognizes delivery failure reports: standard DSNs (RFC 3464, multipart/report with
/// report-type=delivery-status) and the common non-standard bounces of mailer daemons, and tells which
/// message bounced (its Message-ID) and for whom.
/// </summary>
internal static partial class BounceDetector
{
    public static BounceReport? Detect(MimeMessage message, ParsedAddress? from, string bodyText)
    {
        var parts = Flatten(message.Body).ToList();
        var status = parts.OfType<MessageDeliveryStatus>().FirstOrDefault();
        var isReport = message.Body is MultipartReport report
            && string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase);

        if (status is not null || isReport)
        {
            var failed = new List<string>();
            string? diagnostic = null;
            var anyAction = false;
            if (status is not null)
            {
                ReadStatusGroups(status, failed, ref diagnostic, out anyAction);
            }

            if (anyAction && failed.Count == 0)
            {
                // Delayed, delivered or relayed: a notice, not a failure.
                return null;
            }

            return new BounceReport(FindOriginalMessageId(parts, bodyText), failed, diagnostic);
        }

        if (!LooksLikeBounce(message, from))
        {
            return null;
        }

        var recipients = FindFailedRecipientsInText(bodyText);
        var originalId = FindOriginalMessageId(parts, bodyText);
        if (originalId is null && recipients.Count == 0)
        {
            return null;
        }

        return new BounceReport(originalId, recipients, null);
    }

    private static bool LooksLikeBounce(MimeMessage message, ParsedAddress? from)
    {
        var subject = message.Subject ?? "";
        var daemon = AutomaticMailDetector.IsDaemon(from?.Address)
            || (from?.DisplayName?.Contains("Mail Delivery", StringComparison.OrdinalIgnoreCase) ?? false);
        return BounceSubject().IsMatch(subject) && (daemon || message.Headers.Contains(HeaderId.AutoSubmitted) || IsNullReturnPath(message))
            || daemon && message.BodyParts.Any(part => part is MessagePart);
    }

    private static bool IsNullReturnPath(MimeMessage message) =>
        message.Headers[HeaderId.ReturnPath]?.Trim() is "<>" or "< >";

    private static void ReadStatusGroups(MessageDeliveryStatus status, List<string> failed, ref string? diagnostic, out bool anyAction)
    {
        anyAction = false;
        var groups = status.StatusGroups;
        for (var i = 1; i < groups.Count; i++)
        {
            var group = groups[i];
            var action = group["Action"]?.Trim();
            var statusCode = group["Status"]?.Trim();
            var recipient = StripAddressType(group["Final-Recipient"]) ?? StripAddressType(group["Original-Recipient"]);
            if (action is not null)
            {
                anyAction = true;
            }

            var isFailure = action is not null
                ? action.StartsWith("failed", StringComparison.OrdinalIgnoreCase)
                : statusCode?.StartsWith('5') ?? false;
            if (!isFailure || recipient is null)
            {
                continue;
            }

            if (!failed.Contains(recipient, StringComparer.OrdinalIgnoreCase))
            {
                failed.Add(recipient);
            }

            diagnostic ??= StripAddressType(group["Diagnostic-Code"]) ?? statusCode;
        }
    }

    /// <summary>"rfc822; user@example.com" becomes "user@example.com".</summary>
    private static string? StripAddressType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var stripped = (semicolon >= 0 ? value[(semicolon + 1)..] : value).Trim().Trim('<', '>').Trim();
        return stripped.Length == 0 ? null : Regex.Replace(stripped, @"\s+", " ");
    }

    /// <summary>
    /// The Message-ID of the returned message: from a message/rfc822 or text/rfc822-headers part, or
    /// failing that from returned headers quoted in the text of the report.
    /// </summary>
    private static string? FindOriginalMessageId(List<MimeEntity> parts, string bodyText)
    {
        foreach (var part in parts)
        {
            if (part is MessagePart { Message: { } returned } && !string.IsNullOrWhiteSpace(returned.MessageId))
            {
                return returned.MessageId;
            }
        }

        foreach (var part in parts)
        {
            if (part is TextPart text && !text.IsHtml)
            {
                var id = FindMessageIdInText(text.Text ?? "");
                if (id is not null)
                {
                    return id;
                }
            }
        }

        return FindMessageIdInText(bodyText);
    }

    private static string? FindMessageIdInText(string text)
    {
        var match = MessageIdLine().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var id = MimeUtils.EnumerateReferences(match.Groups[1].Value).FirstOrDefault();
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }

    /// <summary>Postfix/qmail ("&lt;user@example.com&gt;: reason") and Exim (indented address after "failed:").</summary>
    private static List<string> FindFailedRecipientsInText(string text)
    {
        var recipients = new List<string>();
        foreach (Match match in AngleRecipientLine().Matches(text))
        {
            Add(match.Groups[1].Value);
        }

        foreach (Match match in FinalRecipientLine().Matches(text))
        {
            Add(match.Groups[1].Value);
        }

        var exim = EximFailedBlock().Match(text);
        if (exim.Success)
        {
            foreach (Match match in IndentedAddress().Matches(exim.Groups[1].Value))
            {
                Add(match.Groups[1].Value);
            }
        }

        return recipients;

        void Add(string address)
        {
            var trimmed = address.Trim();
            if (trimmed.Length > 0 && !recipients.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                recipients.Add(trimmed);
            }
        }
    }

    private static IEnumerable<MimeEntity> Flatten(MimeEntity? entity)
    {
        if (entity is null)
        {
            yield break;
        }

        var stack = new Stack<MimeEntity>();
        stack.Push(entity);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            if (current is Multipart multipart)
            {
                for (var i = multipart.Count - 1; i >= 0; i--)
                {
                    stack.Push(multipart[i]);
                }
            }
        }
    }

    [GeneratedRegex(@"undeliver|undelivered|delivery (?:status )?notification|delivery failure|delivery has failed|failure notice|returned mail|mail delivery failed|could not be delivered|unzustellbar|nicht zustellbar|unzustellbar|non remis|no entregado|échec de la remise|无法投递|退信", RegexOptions.IgnoreCase)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"^\s*Message-ID:\s*(<[^>\r\n]+>|\S+@\S+)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdLine();

    [GeneratedRegex(@"^\s*<([^<>\s@]+@[^<>\s@]+)>\s*:", RegexOptions.Multiline)]
    private static partial Regex AngleRecipientLine();

    [GeneratedRegex(@"^\s*Final-Recipient:\s*(?:rfc822;)?\s*<?([^<>\s@;]+@[^<>\s@;]+)>?", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex FinalRecipientLine();

    [GeneratedRegex(@"following address(?:\(es\)|es)? failed:\s*\n((?:[ \t]*\n|[ \t]+.*\n?){1,50})", RegexOptions.IgnoreCase)]
    private static partial Regex EximFailedBlock();

    [GeneratedRegex(@"^[ \t]+<?([^<>\s@]+@[^<>\s@:]+)>?\s*$", RegexOptions.Multiline)]
    private static partial Regex IndentedAddress();
}
