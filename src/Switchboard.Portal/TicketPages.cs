using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Portal.Views;
using Switchboard.Tickets;

namespace Switchboard.Portal;

/// <summary>
/// A customer's own tickets from every channel: list, read, reply, reopen, rate, open a new one.
/// Every ticket is looked up by its number AND the customer's contact, so another customer's
/// number answers 404 like a number that does not exist.
/// </summary>
internal static class TicketPages
{
    public static void Map(RouteGroupBuilder portal)
    {
        portal.MapGet("/tickets", ListAsync);
        portal.MapGet("/tickets/new", NewFormAsync);
        portal.MapPost("/tickets/new", CreateAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapGet("/tickets/{id:long}", ShowAsync);
        portal.MapPost("/tickets/{id:long}/reply", ReplyAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapPost("/tickets/{id:long}/reopen", ReopenAsync).RequireRateLimiting(RateLimits.Post);
        portal.MapPost("/tickets/{id:long}/rate", RateAsync).RequireRateLimiting(RateLimits.Post);
    }

    internal static IResult SignInFirst(PageContext ctx, HttpContext http) =>
        Results.Redirect(ctx.Url("/signin?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)));

    private static async Task<IResult> ListAsync(string? welcome, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return SignInFirst(ctx, http);
        var tickets = await db.Tickets.AsNoTracking()
            .Where(t => t.CustomerId == me.ContactId && t.MergedIntoId == null && t.Status != TicketStatus.Spam)
            .OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Id)
            .Take(200)
            .Select(t => new { t.Id, t.Subject, t.Status, t.Channel, t.UpdatedAt })
            .ToListAsync(ct);
        return Pages.Render<TicketListPage>(ctx, new TicketListModel(
            tickets.Select(t => new TicketRow(t.Id, t.Subject, Lower(t.Status), Lower(t.Channel), t.UpdatedAt)).ToList(),
            welcome is null ? null : "Your address is confirmed and you are signed in."));
    }

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The ticket if it is this customer's; null for anyone else's and for numbers that do not exist alike.</summary>
    private static Task<Ticket?> OwnTicketAsync(SwitchboardDb db, long id, CurrentCustomer me, CancellationToken ct) =>
        db.Tickets.FirstOrDefaultAsync(t => t.Id == id && t.CustomerId == me.ContactId && t.Status != TicketStatus.Spam, ct);

    private static async Task<IResult> ShowAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        await RenderAsync(id, http, db, null, null, ct);

    private static async Task<IResult> RenderAsync(long id, HttpContext http, SwitchboardDb db, string? notice, string? error, CancellationToken ct, int status = 200)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return SignInFirst(ctx, http);
        var ticket = await db.Tickets.AsNoTracking()
            .Where(t => t.Id == id && t.CustomerId == me.ContactId && t.Status != TicketStatus.Spam)
            .Select(t => new { t.Id, t.Subject, t.Status, t.Channel, t.CreatedAt, t.Rating, t.RatingComment })
            .FirstOrDefaultAsync(ct);
        if (ticket is null) return KnowledgeBasePages.NotFound(ctx);
        // Internal notes never reach the customer; only replies do.
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.TicketId == id && m.Kind == MessageKind.Reply)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new
            {
                m.Id,
                m.AuthorType,
                AgentName = db.Agents.Where(a => a.Id == m.AuthorAgentId).Select(a => a.Name).FirstOrDefault(),
                m.BodyHtml,
                m.BodyText,
                m.CreatedAt,
                Files = m.Attachments.Where(a => !a.IsInline).Select(a => a.FileName).ToList(),
            })
            .ToListAsync(ct);
        var model = new TicketModel(ticket.Id, ticket.Subject, Lower(ticket.Status), Lower(ticket.Channel), ticket.CreatedAt,
            messages.Select(m => new TicketMessage(m.Id, m.AuthorType == ActorType.Contact, m.AgentName ?? ctx.Branding.Name,
                m.BodyHtml is null ? null : HtmlContent.Sanitize(m.BodyHtml), m.BodyText, m.CreatedAt, m.Files)).ToList(),
            Lower(ticket.Rating), ticket.RatingComment, notice, error);
        return Pages.Render<TicketPage>(ctx, model, status);
    }

    private static async Task<IResult> ReplyAsync(long id, [FromForm] string? body, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var me = await CustomerAuth.CurrentAsync(http, db, ct);
        if (me is null) return SignInFirst(await Pages.ContextAsync(http, db, ct), http);
        var ticket = await OwnTicketAsync(db, id, me, ct);
        if (ticket is null) return KnowledgeBasePages.NotFound(await Pages.ContextAsync(http, db, ct));
        var text = (body ?? "").Trim();
        if (text.Length is 0 or > 20_000) return await RenderAsync(id, http, db, null, "Write a reply of up to 20,000 characters.", ct, 400);
        var now = time.GetUtcNow();
        var author = await db.Contacts.FirstAsync(c => c.Id == me.ContactId, ct);
        TicketIntake.AddCustomerMessage(db, ticket, author, new Message
        {
            Channel = Channel.Portal,
            AuthorContactId = me.ContactId,
            BodyText = text,
            BodyHtml = Markdown.PlainToHtml(text),
            FromAddress = me.Email,
            CreatedAt = now,
        }, now);
        await db.SaveChangesAsync(ct);
        return Results.Redirect(http.RequestServices.GetRequiredService<PortalUrls>().Path($"/tickets/{id}"));
    }

    private static async Task<IResult> ReopenAsync(long id, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var me = await CustomerAuth.CurrentAsync(http, db, ct);
        if (me is null) return SignInFirst(await Pages.ContextAsync(http, db, ct), http);
        var ticket = await OwnTicketAsync(db, id, me, ct);
        if (ticket is null) return KnowledgeBasePages.NotFound(await Pages.ContextAsync(http, db, ct));
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            var now = time.GetUtcNow();
            History.Change(db, ticket, new Actor(ActorType.Contact, me.ContactId, me.Name), now, "status", ticket.Status, TicketStatus.Open);
            ticket.Status = TicketStatus.Open;
            ticket.ResolvedAt = null;
            ticket.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }
        return await RenderAsync(id, http, db, "The ticket is open again; we will get back to you.", null, ct);
    }

    private static async Task<IResult> RateAsync(
        long id, [FromForm] string? rating, [FromForm] string? comment, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var me = await CustomerAuth.CurrentAsync(http, db, ct);
        if (me is null) return SignInFirst(await Pages.ContextAsync(http, db, ct), http);
        var ticket = await OwnTicketAsync(db, id, me, ct);
        if (ticket is null) return KnowledgeBasePages.NotFound(await Pages.ContextAsync(http, db, ct));
        if (!Enum.TryParse<SatisfactionRating>(rating, true, out var value) || value == SatisfactionRating.None)
        {
            return await RenderAsync(id, http, db, null, "Choose Good or Bad.", ct, 400);
        }
        if (ticket.Status is not (TicketStatus.Resolved or TicketStatus.Closed))
        {
            return await RenderAsync(id, http, db, null, "A ticket can be rated once it is resolved.", ct, 409);
        }
        var now = time.GetUtcNow();
        var note = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (note is { Length: > 2000 }) note = note[..2000];
        History.Change(db, ticket, new Actor(ActorType.Contact, me.ContactId, me.Name), now, "rating", ticket.Rating, value);
        ticket.Rating = value;
        ticket.RatingComment = note;
        ticket.RatedAt = now;
        await db.SaveChangesAsync(ct);
        return await RenderAsync(id, http, db, "Thank you for rating our help.", null, ct);
    }

    private static async Task<IResult> NewFormAsync(HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is null) return SignInFirst(ctx, http);
        return Pages.Render<NewTicketPage>(ctx, new NewTicketModel(null, null, null));
    }

    private static async Task<IResult> CreateAsync(
        [FromForm] string? subject, [FromForm] string? body, HttpContext http, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var ctx = await Pages.ContextAsync(http, db, ct);
        if (ctx.Customer is not { } me) return SignInFirst(ctx, http);
        var title = (subject ?? "").Trim();
        var text = (body ?? "").Trim();
        if (title.Length is 0 or > 500 || text.Length is 0 or > 20_000)
        {
            return Pages.Render<NewTicketPage>(ctx, new NewTicketModel(subject, body, "Give a subject (up to 500 characters) and a message (up to 20,000)."), 400);
        }
        var now = time.GetUtcNow();
        var contact = await db.Contacts.FirstAsync(c => c.Id == me.ContactId, ct);
        var ticket = TicketIntake.Open(db, contact, title, new Message
        {
            Channel = Channel.Portal,
            AuthorContactId = me.ContactId,
            BodyText = text,
            BodyHtml = Markdown.PlainToHtml(text),
            FromAddress = me.Email,
            CreatedAt = now,
        }, null, now);
        await db.SaveChangesAsync(ct);
        return Results.Redirect(ctx.Url($"/tickets/{ticket.Id}"));
    }
}
