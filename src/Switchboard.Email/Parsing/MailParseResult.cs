using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Email.Parsing;

/// <summary>Either the parsed message or the reason it was quarantined, never both.</summary>
public sealed class MailParseResult
{
    private MailParseResult(ParsedMail? mail, string? quarantineReason)
    {
        Mail = mail;
        QuarantineReason = quarantineReason;
    }

    public ParsedMail? Mail { get; }

    /// <summary>A short sentence for the quarantine list, such as "More than 1000 recipients".</summary>
    public string? QuarantineReason { get; }

    [MemberNotNullWhen(true, nameof(QuarantineReason))]
    [MemberNotNullWhen(false, nameof(Mail))]
    public bool IsQuarantined => QuarantineReason is not null;

    public static MailParseResult Parsed(ParsedMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return new MailParseResult(mail, null);
    }

    public static MailParseResult Quarantined(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new MailParseResult(null, reason);
    }

    public override string ToString() => IsQuarantined ? $"Quarantined: {QuarantineReason}" : $"Parsed: {Mail.Subject}";
}
