namespace Switchboard.Email.Parsing;

/// <summary>Thrown inside the parser when a message breaks a <see cref="MailParserLimits"/> bound; its message is the quarantine reason.</summary>
internal sealed class MailLimitExceededException : Exception
{
    public MailLimitExceededException()
    {
    }

    public MailLimitExceededException(string reason)
        : base(reason)
    {
    }

    public MailLimitExceededException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
