using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
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

    private static async Task<Ok<ItemsDto<AutomationRuleDto>>> ListAsync(AutomationRules rules, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<AutomationRuleDto>(await rules.ListAsync(ct)));

    private static async Task<Ok<AutomationRuleDto>> GetAsync(long id, AutomationRules rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.GetAsync(id, ct));

    private static async Task<Created<AutomationRuleDto>> CreateAsync(AutomationRuleRequest request, HttpContext http, AutomationRules rules, CancellationToken ct)
    {
        var rule = await rules.CreateAsync(CurrentAgent.From(http.User)!, request, ct);
        return TypedResults.Created($"/api/v1/automation/rules/{rule.Id}", rule);
    }

    private static async Task<Ok<AutomationRuleDto>> UpdateAsync(long id, AutomationRuleRequest request, HttpContext http, AutomationRules rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.UpdateAsync(CurrentAgent.From(http.User)!, id, request, ct));

    private static async Task<NoContent> DeleteAsync(long id, HttpContext http, AutomationRules rules, CancellationToken ct)
    {
        await rules.DeleteAsync(CurrentAgent.From(http.User)!, id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TestRuleResult>> TestAsync(long id, TestRuleRequest request, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var rule = CompiledRule.From(await AutomationRules.FindAsync(db, id, ct));
        if (request.TicketId is not { } ticketId) throw ProblemException.Invalid("ticketId", "ticketId: say which ticket to test the rule on.");
        var runner = ActivatorUtilities.CreateInstance<RuleRunner>(http.RequestServices);
        var ticket = await runner.LoadTicketAsync(ticketId, ct) ?? throw ProblemException.NotFound($"Ticket {ticketId}");
        var (matches, actions) = await runner.TestAsync(ticket, rule, ct);
        return TypedResults.Ok(new TestRuleResult(matches, matches ? actions : []));
    }
}
