using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Security;

namespace Switchboard.Email;

/// <summary>Mailboxes for the workspace's settings: administrators only, the same code as <c>/api/v1/mailboxes</c>.</summary>
public sealed class MailboxAdministration(SwitchboardDb db, MailboxSecrets secrets, MailboxChanges changes, TimeProvider time)
{
    public Task<IReadOnlyList<MailboxDto>> ListAsync(CurrentAgent me, CancellationToken ct)
    {
        RequireAdmin(me);
        return MailboxesApi.ListMailboxesAsync(db, ct);
    }

    public Task<MailboxDto> CreateAsync(CurrentAgent me, MailboxRequest request, CancellationToken ct)
    {
        RequireAdmin(me);
        return MailboxesApi.CreateMailboxAsync(db, secrets, changes, time, request, ct);
    }

    /// <summary>Changes a mailbox; passwords left out keep the stored (encrypted) ones.</summary>
    public Task<MailboxDto> UpdateAsync(CurrentAgent me, long id, MailboxRequest request, CancellationToken ct)
    {
        RequireAdmin(me);
        return MailboxesApi.UpdateMailboxAsync(db, secrets, changes, id, request, ct);
    }

    public Task DeleteAsync(CurrentAgent me, long id, CancellationToken ct)
    {
        RequireAdmin(me);
        return MailboxesApi.DeleteMailboxAsync(db, changes, id, ct);
    }

    private static void RequireAdmin(CurrentAgent me)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (!me.IsAdmin) throw ProblemException.Forbidden("Only administrators can manage mailboxes.");
    }
}
