using Switchboard.Core.Data;

namespace Switchboard.Core.Events;

/// <summary>
/// Mail that is not a reply on a ticket: account verification, password reset, chat transcripts.
/// The email channel writes it into its durable outbox through the caller's unit of work, so it is
/// sent if and only if the caller's changes are saved.
/// </summary>
public interface ISystemMailer
{
    /// <summary>
    /// Adds the mail to <paramref name="db"/> (the caller saves). Returns false when no mailbox can
    /// send mail (none is configured with an outbound server), so the caller can say so.
    /// </summary>
    Task<bool> QueueAsync(SwitchboardDb db, SystemMail mail, CancellationToken ct);
}

/// <summary>One system mail. <paramref name="Html"/> must already be safe to send.</summary>
public sealed record SystemMail(string To, string Subject, string Text, string? Html = null, long? DepartmentId = null, long? TicketId = null);
