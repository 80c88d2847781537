using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Automation;

public sealed record AutomationRuleRequest(
    string? Name, bool? IsActive, int? Position, string? Trigger, JsonElement? Conditions, JsonElement? Actions,
    JsonElement? TimeCondition, bool? StopProcessing, string? WebhookSecret);

/// <summary>A rule as the API shows it; the webhook secret is never returned, only whether one is set.</summary>
public sealed record AutomationRuleDto(
    long Id, string Name, bool IsActive, int Position, string Trigger, JsonElement Conditions, JsonElement Actions,
    JsonElement? TimeCondition, bool StopProcessing, bool HasWebhookSecret, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record TestRuleRequest(long? TicketId);

public sealed record TestRuleResult(bool Matches, IReadOnlyList<string> Actions);

internal static class AutomationApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/automation/rules").WithTags("Automation").RequireAuthorization(Policies.Agent);
        rules.MapGet("/", ListAsync).WithSummary("Automation rules in the order they run.");
        rules.MapGet("/{id:long}", GetAsync);
        rules.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin).WithSummary("Add a rule: trigger, conditions, actions.");
        rules.MapPut("/{id:long}", UpdateAsync).RequireAuthorization(Policies.Admin).WithSummary("Replace a rule.");
        rules.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Admin);
        rules.MapPost("/{id:long}/test", TestAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Whether the rule would fire on a ticket now, and what it would do; changes nothing.");
    }

    private static async Task<Ok<ItemsDto<AutomationRuleDto>>> ListAsync(SwitchboardDb db, CancellationToken ct)
    {
        var rules = await db.AutomationRules.AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<AutomationRuleDto>(rules.Select(ToDto).ToList()));
    }

    private static async Task<Ok<AutomationRuleDto>> GetAsync(long id, SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await FindAsync(db, id, ct)));

    private static async Task<Created<AutomationRuleDto>> CreateAsync(
        AutomationRuleRequest request, SwitchboardDb db, RuleCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rule = new AutomationRule { Name = "", Trigger = "", CreatedAt = now };
        await ApplyAsync(db, rule, request, ct);
        rule.Position = request.Position ?? ((await db.AutomationRules.MaxAsync(r => (int?)r.Position, ct) ?? 0) + 10);
        rule.UpdatedAt = now;
        db.AutomationRules.Add(rule);
        await db.SaveChangesAsync(ct);
        catalog.Invalidate();
        return TypedResults.Created($"/api/v1/automation/rules/{rule.Id}", ToDto(rule));
    }

    private static async Task<Ok<AutomationRuleDto>> UpdateAsync(
        long id, AutomationRuleRequest request, SwitchboardDb db, RuleCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        var rule = await db.AutomationRules.FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw ProblemException.NotFound($"Automation rule {id}");
        await ApplyAsync(db, rule, request, ct);
        if (request.Position is { } position) rule.Position = position;
        rule.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        catalog.Invalidate();
        return TypedResults.Ok(ToDto(rule));
    }

    private static async Task<NoContent> DeleteAsync(long id, SwitchboardDb db, RuleCatalog catalog, CancellationToken ct)
    {
        if (await db.AutomationRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct) == 0) throw ProblemException.NotFound($"Automation rule {id}");
        catalog.Invalidate();
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TestRuleResult>> TestAsync(long id, TestRuleRequest request, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var rule = CompiledRule.From(await FindAsync(db, id, ct));
        if (request.TicketId is not { } ticketId) throw ProblemException.Invalid("ticketId", "ticketId: say which ticket to test the rule on.");
        var runner = ActivatorUtilities.CreateInstance<RuleRunner>(http.RequestServices);
        var ticket = await runner.LoadTicketAsync(ticketId, ct) ?? throw ProblemException.NotFound($"Ticket {ticketId}");
        var (matches, actions) = await runner.TestAsync(ticket, rule, ct);
        return TypedResults.Ok(new TestRuleResult(matches, matches ? actions : []));
    }

    /// <summary>Checks the whole request (a PUT replaces the rule) and copies it onto the entity.</summary>
    private static async Task ApplyAsync(SwitchboardDb db, AutomationRule rule, AutomationRuleRequest request, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200) throw RuleParser.Invalid("name", "is required, at most 200 characters.");
        if (await db.AutomationRules.AnyAsync(r => r.Name == name && r.Id != rule.Id, ct)) throw ProblemException.Conflict($"A rule named '{name}' already exists.");
        var trigger = request.Trigger?.Trim() ?? "";
        if (!Triggers.IsKnown(trigger))
        {
            throw RuleParser.Invalid("trigger", $"'{trigger}' is not a trigger; use one of {string.Join(", ", Triggers.All)}.");
        }
        var conditions = request.Conditions is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } c ? c : JsonDocument.Parse("{\"all\":[]}").RootElement;
        RuleParser.ParseConditions(conditions, "conditions");
        if (request.Actions is not { ValueKind: JsonValueKind.Array } actionsJson) throw RuleParser.Invalid("actions", "must be a non-empty list of actions.");
        var actions = RuleParser.ParseActions(actionsJson, "actions");
        await CheckReferencesAsync(db, actions, ct);
        string? time = null;
        if (trigger == Triggers.Time)
        {
            if (request.TimeCondition is not { ValueKind: JsonValueKind.Object } t)
            {
                throw RuleParser.Invalid("timeCondition", "a time rule needs {\"status\", \"hours\", \"since\"}, e.g. {\"status\": \"pending\", \"hours\": 72}.");
            }
            var parsed = RuleParser.ParseTime(t, "timeCondition");
            time = JsonSerializer.Serialize(new { status = parsed.Status.ToString().ToLowerInvariant(), hours = parsed.Hours, since = parsed.Since });
        }
        var secret = request.WebhookSecret ?? rule.WebhookSecret;
        if (request.WebhookSecret is { } s && (s.Length < 16 || s.Length > 200)) throw RuleParser.Invalid("webhookSecret", "must be 16 to 200 characters long.");
        if (actions.Any(a => a.Type == "call_webhook") && secret is null)
        {
            throw RuleParser.Invalid("webhookSecret", "a rule that calls a webhook needs a secret (16 to 200 characters) to sign its requests.");
        }
        rule.Name = name;
        rule.Trigger = trigger;
        rule.Conditions = conditions.GetRawText();
        rule.Actions = actionsJson.GetRawText();
        rule.TimeCondition = time;
        rule.IsActive = request.IsActive ?? true;
        rule.StopProcessing = request.StopProcessing ?? false;
        rule.WebhookSecret = secret;
    }

    private static async Task CheckReferencesAsync(SwitchboardDb db, IReadOnlyList<RuleAction> actions, CancellationToken ct)
    {
        for (var i = 0; i < actions.Count; i++)
        {
            var a = actions[i];
            if (a.Value is null || a.Type is not ("set_department" or "set_assignee")) continue;
            var id = long.Parse(a.Value, System.Globalization.CultureInfo.InvariantCulture);
            var exists = a.Type == "set_department"
                ? await db.Departments.AnyAsync(d => d.Id == id, ct)
                : await db.Agents.AnyAsync(x => x.Id == id && x.IsActive, ct);
            if (!exists) throw RuleParser.Invalid($"actions[{i}].value", $"{(a.Type == "set_department" ? "department" : "active agent")} {id} does not exist.");
        }
    }

    private static async Task<AutomationRule> FindAsync(SwitchboardDb db, long id, CancellationToken ct) =>
        await db.AutomationRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw ProblemException.NotFound($"Automation rule {id}");

    private static AutomationRuleDto ToDto(AutomationRule r) => new(
        r.Id, r.Name, r.IsActive, r.Position, r.Trigger, Parse(r.Conditions)!.Value, Parse(r.Actions)!.Value, Parse(r.TimeCondition),
        r.StopProcessing, r.WebhookSecret is not null, r.CreatedAt, r.UpdatedAt);

    private static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
