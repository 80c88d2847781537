using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Switchboard.Core.Api;
using Switchboard.Core.Errors;
using Switchboard.Core.Security;

namespace Switchboard.Workspace;

internal static class CannedResponsesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/canned-responses").WithTags("Canned responses").RequireAuthorization(Policies.Agent);
        group.MapGet("/", ListAsync).WithSummary("Canned responses the agent may use: personal, their departments' and everyone's.");
        group.MapGet("/{id:long}", GetAsync);
        group.MapPost("/", CreateAsync).WithSummary("Add a canned response; personal for anyone, shared for administrators.");
        group.MapPut("/{id:long}", UpdateAsync);
        group.MapDelete("/{id:long}", DeleteAsync);
        group.MapPost("/{id:long}/render", RenderAsync).WithSummary("The response with a ticket's values in its placeholders ({{customer.name}}, {{ticket.number}}, …).");
    }

    private static CurrentAgent Me(HttpContext http) => CurrentAgent.From(http.User)!;

    private static async Task<Ok<ItemsDto<CannedResponseDto>>> ListAsync(string? q, HttpContext http, CannedResponses responses, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<CannedResponseDto>(await responses.ListAsync(Me(http), q, ct)));

    private static async Task<Ok<CannedResponseDto>> GetAsync(long id, HttpContext http, CannedResponses responses, CancellationToken ct) =>
        TypedResults.Ok(await responses.GetAsync(Me(http), id, ct));

    private static async Task<Created<CannedResponseDto>> CreateAsync(CannedResponseRequest request, HttpContext http, CannedResponses responses, CancellationToken ct)
    {
        var created = await responses.CreateAsync(Me(http), request, ct);
        return TypedResults.Created($"/api/v1/canned-responses/{created.Id}", created);
    }

    private static async Task<Ok<CannedResponseDto>> UpdateAsync(long id, CannedResponseRequest request, HttpContext http, CannedResponses responses, CancellationToken ct) =>
        TypedResults.Ok(await responses.UpdateAsync(Me(http), id, request, ct));

    private static async Task<NoContent> DeleteAsync(long id, HttpContext http, CannedResponses responses, CancellationToken ct)
    {
        await responses.DeleteAsync(Me(http), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<RenderedCannedResponseDto>> RenderAsync(
        long id, RenderCannedResponseRequest request, HttpContext http, CannedResponses responses, CancellationToken ct)
    {
        if (request.TicketId is not { } ticketId) throw ProblemException.Invalid("ticketId", "Say which ticket the response is for.");
        return TypedResults.Ok(new RenderedCannedResponseDto(await responses.RenderAsync(Me(http), id, ticketId, ct)));
    }
}
