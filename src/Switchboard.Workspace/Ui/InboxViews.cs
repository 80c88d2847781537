using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Tickets;

namespace Switchboard.Workspace.Ui;

/// <summary>One entry of the inbox's view list: where it links and which tickets it stands for.</summary>
public sealed record InboxView(string Key, string Title, string Href, TicketListQuery Query);

/// <summary>The built-in views and the translation between list filters and query strings (for links and saved views).</summary>
public static class InboxViews
{
    private const string OpenStatuses = "new,open";

    public static TicketListQuery Empty => new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public static IReadOnlyList<InboxView> BuiltIn(Func<string, string> t) =>
    [
        new("mine", t("My open"), "/inbox/mine", Empty with { Status = OpenStatuses, AssigneeId = "me" }),
        new("unassigned", t("Unassigned"), "/inbox/unassigned", Empty with { Status = OpenStatuses, AssigneeId = "none" }),
        new("open", t("All open"), "/inbox/open", Empty with { Status = OpenStatuses }),
        new("pending", t("Pending"), "/inbox/pending", Empty with { Status = "pending,answered" }),
        new("resolved", t("Resolved"), "/inbox/resolved", Empty with { Status = "resolved,closed" }),
        new("spam", t("Spam"), "/inbox/spam", Empty with { Status = "spam" }),
    ];

    public static InboxView Department(long id, string name) =>
        new($"department-{id}", name, $"/inbox/department/{id}", Empty with { Status = OpenStatuses, DepartmentId = id });

    /// <summary>A saved view's query string (status=open&amp;q=refund…) as list filters.</summary>
    public static TicketListQuery FromQueryString(string query)
    {
        var values = QueryHelpers.ParseQuery(query.StartsWith('?') ? query : "?" + query);
        string? Get(string key) => values.TryGetValue(key, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
        return Empty with
        {
            Status = Get("status"),
            Priority = Get("priority"),
            Channel = Get("channel"),
            AssigneeId = Get("assignee"),
            Tag = Get("tag"),
            Q = Get("q"),
            DepartmentId = long.TryParse(Get("department"), out var d) ? d : null,
        };
    }

    public static string ToQueryString(TicketListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pairs = new Dictionary<string, string?>
        {
            ["status"] = query.Status,
            ["priority"] = query.Priority,
            ["channel"] = query.Channel,
            ["assignee"] = query.AssigneeId,
            ["tag"] = query.Tag,
            ["q"] = query.Q,
            ["department"] = query.DepartmentId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString("", pairs.Where(p => !string.IsNullOrEmpty(p.Value)));
    }
}
