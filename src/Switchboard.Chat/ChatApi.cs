using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Switchboard.Core.Api;
using Switchboard.Core.Security;

namespace Switchboard.Chat;

public sealed record ChatTransferRequest(long? AgentId, long? DepartmentId);

public sealed record ChatMessageRequest(string? ClientId, string? Text);

/// <summary>The agent side over REST, for clients without a live connection; the agent hub offers the same.</summary>
internal static class ChatApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/chat/conversations").WithTags("Chat").RequireAuthorization(Policies.Agent);
        group.MapGet("/", async (bool? queue, HttpContext http, AgentChats chats, CancellationToken ct) =>
                TypedResults.Ok(new ItemsDto<ChatSummaryDto>(await chats.ListAsync(Me(http), queue == true, ct))))
            .WithSummary("My live chats, or with queue=true the chats waiting in my departments.");
        group.MapGet("/{id:long}", async (long id, HttpContext http, AgentChats chats, CancellationToken ct) =>
                TypedResults.Ok(await chats.GetAsync(Me(http), id, ct)))
            .WithSummary("A chat with its lines and the visitor's pages, referrer and locale.");
        group.MapPost("/{id:long}/accept", async (long id, HttpContext http, AgentChats chats, CancellationToken ct) =>
                TypedResults.Ok(await chats.AcceptAsync(Me(http), id, ct)))
            .WithSummary("Take a chat that rings for me or waits in my department's queue.");
        group.MapPost("/{id:long}/decline", async Task<NoContent> (long id, HttpContext http, AgentChats chats, CancellationToken ct) =>
            {
                await chats.DeclineAsync(Me(http), id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Pass on a chat that rings for me; it goes to the next agent.");
        group.MapPost("/{id:long}/messages", async (long id, ChatMessageRequest request, HttpContext http, AgentChats chats, CancellationToken ct) =>
                TypedResults.Ok(await chats.SendAsync(Me(http), id, new AgentLineRequest(request.ClientId, request.Text), ct)))
            .WithSummary("Send a line in a live chat; a repeated clientId is stored once.");
        group.MapPost("/{id:long}/transfer", async (long id, ChatTransferRequest request, HttpContext http, AgentChats chats, CancellationToken ct) =>
                TypedResults.Ok(await chats.TransferAsync(Me(http), id, new TransferRequest(request.AgentId, request.DepartmentId), ct)))
            .WithSummary("Hand a live chat to another agent, or back to a department's queue.");
        group.MapPost("/{id:long}/end", async Task<NoContent> (long id, HttpContext http, AgentChats chats, CancellationToken ct) =>
            {
                await chats.EndAsync(Me(http), id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("End a chat; the ticket stays for follow-up by email.");
    }

    private static CurrentAgent Me(HttpContext http) => CurrentAgent.From(http.User)!;
}
