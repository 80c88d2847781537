using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Portal;

/// <summary>
/// Mail to customers about the community: followers of a topic hear of each new reply, the author
/// and voters of a suggestion hear of each status change. Mail goes through the system-mail outbox
/// in the caller's unit of work, so it is sent exactly when the change is saved; each customer reads
/// it in their preferred language.
/// </summary>
internal static class Notifications
{
    private const string UnsubscribePurpose = "Switchboard.Portal.ForumUnsubscribe";

    /// <summary>Longest excerpt of a reply quoted in the mail.</summary>
    private const int ExcerptLength = 2_000;

    /// <summary>
    /// Makes <paramref name="accountId"/> a follower of the topic, in its own save: a follow
    /// that someone else wrote at the same moment is not an error worth losing a reply for.
    /// </summary>
    public static async Task FollowAsync(SwitchboardDb db, long topicId, long accountId, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.ForumTopicFollows.AnyAsync(f => f.TopicId == topicId && f.AccountId == accountId, ct)) return;
        var follow = new ForumTopicFollow { TopicId = topicId, AccountId = accountId, CreatedAt = now };
        db.ForumTopicFollows.Add(follow);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.Entry(follow).State = EntityState.Detached;
        }
    }

    public static Task UnfollowAsync(SwitchboardDb db, long topicId, long accountId, CancellationToken ct) =>
        db.ForumTopicFollows.Where(f => f.TopicId == topicId && f.AccountId == accountId).ExecuteDeleteAsync(ct);

    /// <summary>Queues a mail to every follower of the topic but the one who replied (the caller saves).</summary>
    public static async Task QueueReplyAsync(
        HttpContext http, SwitchboardDb db, ForumTopic topic, string replierName, long? replierAccountId, string replyText, CancellationToken ct)
    {
        var replier = replierAccountId ?? 0;
        var followers = await db.ForumTopicFollows.AsNoTracking()
            .Where(f => f.TopicId == topic.Id && f.AccountId != replier)
            .Join(db.CustomerAccounts.Where(a => a.EmailVerifiedAt != null), f => f.AccountId, a => a.Id, (f, a) => new { a.Id, a.Email, a.Name, a.Language })
            .OrderBy(a => a.Id)
            .ToListAsync(ct);
        if (followers.Count == 0) return;
        var services = http.RequestServices;
        var mailer = services.GetRequiredService<ISystemMailer>();
        var urls = services.GetRequiredService<PortalUrls>();
        var brand = (await services.GetRequiredService<BrandingCache>().GetAsync(db, ct)).Name;
        var protector = Protector(services);
        var excerpt = replyText.Length <= ExcerptLength ? replyText : replyText[..ExcerptLength] + "…";
        foreach (var f in followers)
        {
            var unsubscribe = urls.Absolute("/forum/unsubscribe?token=" + Uri.EscapeDataString(protector.Protect(UnsubscribeValue(topic.Id, f.Id))));
            var sent = await mailer.QueueAsync(db, new SystemMail(f.Email,
                Strings.Format(f.Language, "{0}: new reply to “{1}”", brand, topic.Title),
                Strings.Format(f.Language, "Hello {0},\n\n{1} replied to “{2}”:\n\n{3}\n\nRead the topic: {4}\n\nStop emails about this topic: {5}",
                    f.Name, replierName, topic.Title, excerpt, urls.Absolute($"/forum/topics/{topic.Id}"), unsubscribe)), ct);
            if (!sent) return;
        }
    }

    /// <summary>Queues a mail to the author and every voter of the suggestion about its new status (the caller saves).</summary>
    public static async Task QueueStatusAsync(HttpContext http, SwitchboardDb db, Suggestion suggestion, CancellationToken ct)
    {
        var voters = db.SuggestionVotes.Where(v => v.SuggestionId == suggestion.Id).Select(v => v.AccountId);
        var people = await db.CustomerAccounts.AsNoTracking()
            .Where(a => a.EmailVerifiedAt != null && (a.Id == suggestion.AccountId || voters.Contains(a.Id)))
            .OrderBy(a => a.Id)
            .Select(a => new { a.Email, a.Name, a.Language })
            .ToListAsync(ct);
        if (people.Count == 0) return;
        var services = http.RequestServices;
        var mailer = services.GetRequiredService<ISystemMailer>();
        var urls = services.GetRequiredService<PortalUrls>();
        var brand = (await services.GetRequiredService<BrandingCache>().GetAsync(db, ct)).Name;
        var status = FeedbackListLabel(suggestion.Status);
        foreach (var p in people)
        {
            var label = Strings.Get(p.Language, status);
            var sent = await mailer.QueueAsync(db, new SystemMail(p.Email,
                Strings.Format(p.Language, "{0}: “{1}” is now {2}", brand, suggestion.Title, label),
                Strings.Format(p.Language, "Hello {0},\n\nThe suggestion “{1}” is now: {2}.\n\n{3}\n\nYou get this because you suggested it or voted for it.",
                    p.Name, suggestion.Title, label, urls.Absolute($"/feedback/{suggestion.Id}"))), ct);
            if (!sent) return;
        }
    }

    private static string FeedbackListLabel(SuggestionStatus status) => Views.FeedbackListPage.Label(FeedbackPages.StatusName(status));

    private static IDataProtector Protector(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector(UnsubscribePurpose);

    private static string UnsubscribeValue(long topicId, long accountId) =>
        topicId.ToString(CultureInfo.InvariantCulture) + ":" + accountId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The topic and account an unsubscribe link was made for, or null when it was not made here.</summary>
    public static (long TopicId, long AccountId)? ReadUnsubscribe(IServiceProvider services, string? token)
    {
        if (token is not { Length: > 0 and < 1000 }) return null;
        string value;
        try
        {
            value = Protector(services).Unprotect(token);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
        var parts = value.Split(':');
        return parts.Length == 2
            && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var topic)
            && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var account)
            ? (topic, account)
            : null;
    }
}
