using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Portal;

/// <summary>
/// A reply on the portal is not sent anywhere: the customer reads it under "My tickets" (which shows
/// every reply, whatever its channel), so it reaches them when they have a confirmed portal account (one they can sign in with).
/// </summary>
internal sealed class PortalReplyChannel : IReplyChannel
{
    public Channel Channel => Channel.Portal;

    public async Task<ReplyReach> ReachAsync(SwitchboardDb db, Ticket ticket, CancellationToken ct)
    {
        var account = await db.CustomerAccounts.AsNoTracking().Where(a => a.ContactId == ticket.CustomerId && a.EmailVerifiedAt != null)
            .OrderBy(a => a.Id).Select(a => a.Email).FirstOrDefaultAsync(ct);
        return account is null ? ReplyReach.No("the customer has no confirmed portal account.") : ReplyReach.Yes(account);
    }
}
