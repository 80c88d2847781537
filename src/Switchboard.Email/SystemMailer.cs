using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Email;

/// <summary>Queues system mail from the department's mailbox, else the first one that can send.</summary>
internal sealed class SystemMailer(IOptions<EmailOptions> options, OutboxSignal signal, TimeProvider time) : ISystemMailer
{
    public async Task<bool> QueueAsync(SwitchboardDb db, SystemMail mail, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(mail);
        var senders = db.Mailboxes.AsNoTracking().Where(m => m.IsActive && m.OutboundHost != null).OrderBy(m => m.Id);
        var mailbox = (mail.DepartmentId is { } department ? await senders.FirstOrDefaultAsync(m => m.DepartmentId == department, ct) : null)
            ?? await senders.FirstOrDefaultAsync(ct);
        if (mailbox is null) return false;
        var ids = await MessageIds.LoadAsync(db, ct);
        Outbox.Enqueue(db, ids, mailbox, mail.TicketId, OutboundMailKind.System, mail.To, null, mail.Subject, mail.Text, mail.Html,
            null, null, null, time.GetUtcNow(), options.Value);
        signal.PokeAfterSave(db);
        return true;
    }
}
