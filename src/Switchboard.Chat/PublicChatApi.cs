using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Chat;

/// <summary>Public config of a widget as the widget reads it.</summary>
public sealed record WidgetConfigDto(
    string Name, bool Online, IReadOnlyList<PreChatFieldDto> PreChatFields, IReadOnlyList<InvitationDto> Invitations, long MaxFileBytes, string[] AllowedFileTypes);

public sealed record PreChatFieldDto(string Key, string Label, bool Required);

public sealed record InvitationDto(string Path, int AfterSeconds, string Message);

/// <summary>What the widget calls without signing in: its settings, file upload and download, and the script itself.</summary>
internal static class PublicChatApi
{
    private static readonly Lazy<(byte[] Plain, byte[] Gzip, string ETag)> Script = new(LoadScript);

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/chat/public").WithTags("Chat widget").AllowAnonymous();
        group.MapGet("/widgets/{key}", ConfigAsync).WithSummary("A widget's public settings, for the embedded script (Origin must be allowed).");
        group.MapPost("/files", UploadAsync).DisableAntiforgery()
            .WithSummary("A visitor sends a file in their chat (multipart: key, token, clientId, file).");
        group.MapGet("/files/{lineId:long}", DownloadAsync).WithSummary("A file of the visitor's own chat (token required).");
    }

    public static void MapScript(IEndpointRouteBuilder app) =>
        app.MapGet("/widget.js", ServeScript).AllowAnonymous().ExcludeFromDescription();

    /// <summary>Null (and the response written) when the key is unknown or the page's origin is not allowed.</summary>
    public static async Task<WidgetInfo?> AdmitAsync(HttpContext http)
    {
        var cache = http.RequestServices.GetRequiredService<WidgetCache>();
        WidgetInfo? widget;
        // A connection's request lasts as long as the connection: a context taken from its services would stay with
        // every open chat connection (20,000 idle visitors, 20,000 contexts), so the widget is read in a scope of its own.
        await using (var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope())
        {
            widget = await cache.FindAsync(scope.ServiceProvider.GetRequiredService<SwitchboardDb>(), http.Request.Query["key"].ToString(), http.RequestAborted);
        }
        if (widget is null)
        {
            await Results.Problem("This chat widget does not exist.", statusCode: 404, title: "Not found").ExecuteAsync(http);
            return null;
        }
        if (!widget.Allows(http.Request.Headers.Origin))
        {
            await Results.Problem("This site is not allowed to embed the chat widget.", statusCode: 403, title: "Forbidden").ExecuteAsync(http);
            return null;
        }
        return widget;
    }

    private static async Task<WidgetInfo> AllowedWidgetAsync(HttpContext http, string? key)
    {
        var widget = await http.RequestServices.GetRequiredService<WidgetCache>().FindAsync(http.Db(), key, http.RequestAborted)
            ?? throw ProblemException.NotFound("This chat widget");
        string? origin = http.Request.Headers.Origin;
        if (!widget.Allows(origin)) throw ProblemException.Forbidden("This site is not allowed to embed the chat widget.");
        if (!string.IsNullOrEmpty(origin))
        {
            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.Vary = "Origin";
        }
        return widget;
    }

    private static async Task<Ok<WidgetConfigDto>> ConfigAsync(string key, HttpContext http, SwitchboardDb db, ChatPresence presence, CancellationToken ct)
    {
        var widget = await AllowedWidgetAsync(http, key);
        var connected = presence.Agents.ToList();
        var online = connected.Count > 0 && await db.Agents.AnyAsync(a => connected.Contains(a.Id) && a.IsActive && a.Availability == AgentAvailability.Online
            && (widget.DepartmentId == null || a.Departments.Any(d => d.DepartmentId == widget.DepartmentId)), ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new WidgetConfigDto(widget.Name, online,
            widget.PreChatFields.Select(f => new PreChatFieldDto(f.Key, f.Label, f.Required)).ToList(),
            widget.Invitations.Select(i => new InvitationDto(i.Path, i.AfterSeconds, i.Message)).ToList(),
            widget.MaxFileBytes, widget.AllowedFileTypes));
    }

    private static async Task<Ok<ChatLineDto>> UploadAsync(
        HttpContext http, SwitchboardDb db, VisitorChats chats, IAttachmentStore store, TimeProvider time, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) throw ProblemException.Invalid("file", "Send the file as multipart/form-data.");
        var form = await http.Request.ReadFormAsync(ct);
        var widget = await AllowedWidgetAsync(http, form["key"]);
        var conversation = await chats.FindAsync(widget.Id, form["token"], ct) ?? throw ProblemException.NotFound("This chat");
        var clientId = ChatText.ClientId(form["clientId"]);
        var file = form.Files["file"] ?? throw ProblemException.Invalid("file", "Choose a file to send.");
        if (conversation.Status is ChatStatus.Ended or ChatStatus.Missed) throw ProblemException.Conflict("This chat has ended; files can no longer be sent.");
        if (file.Length > widget.MaxFileBytes) throw new ProblemException(413, "Too large", $"The file is larger than the limit of {widget.MaxFileBytes / (1024 * 1024.0):0.#} MB.");
        var contentType = string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType.ToLowerInvariant();
        if (!widget.AcceptsFileType(contentType)) throw ProblemException.Invalid("file", $"Files of type {contentType} cannot be sent in this chat.");
        StoredFile stored;
        try
        {
            await using var stream = file.OpenReadStream();
            stored = await store.SaveAsync(stream, widget.MaxFileBytes, ct);
        }
        catch (FileTooLargeException e)
        {
            throw new ProblemException(413, "Too large", e.Message);
        }
        var name = Path.GetFileName(file.FileName);
        if (string.IsNullOrWhiteSpace(name)) name = "file";
        if (name.Length > 255) name = name[^255..];
        var attachment = new Attachment { FileName = name, ContentType = contentType, Size = stored.Size, Sha256 = stored.Sha256, CreatedAt = time.GetUtcNow() };
        var line = await chats.AddVisitorLineAsync(conversation, clientId, name, attachment, ct);
        if (line is null)
        {
            var existing = await db.ChatLines.AsNoTracking().Include(l => l.Attachment).FirstAsync(l => l.ConversationId == conversation.Id && l.ClientId == clientId, ct);
            return TypedResults.Ok(ChatText.ToDto(existing, null, existing.Attachment));
        }
        await chats.PublishAsync(conversation, line, null);
        return TypedResults.Ok(line);
    }

    private static async Task<IResult> DownloadAsync(
        long lineId, [FromQuery] string? key, [FromQuery] string? token, HttpContext http, SwitchboardDb db, VisitorChats chats, IAttachmentStore store, CancellationToken ct)
    {
        var widget = await http.RequestServices.GetRequiredService<WidgetCache>().FindAsync(db, key, ct) ?? throw ProblemException.NotFound("This file");
        var conversation = await chats.FindAsync(widget.Id, token, ct) ?? throw ProblemException.NotFound("This file");
        var file = await db.ChatLines.AsNoTracking().Where(l => l.Id == lineId && l.ConversationId == conversation.Id && l.Attachment != null)
            .Select(l => l.Attachment).FirstOrDefaultAsync(ct) ?? throw ProblemException.NotFound("This file");
        // Never rendered in the host's origin: downloaded, sandboxed, not framed.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox; frame-ancestors 'none'";
        return TypedResults.File(store.OpenRead(file.Sha256), file.ContentType, file.FileName);
    }

    private static IResult ServeScript(HttpContext http)
    {
        var (plain, gzip, etag) = Script.Value;
        var headers = http.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        headers.ETag = etag;
        headers.Vary = "Accept-Encoding";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        if (http.Request.Headers.IfNoneMatch.ToString() == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        if (http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return Results.Bytes(gzip, "text/javascript; charset=utf-8");
        }
        return Results.Bytes(plain, "text/javascript; charset=utf-8");
    }

    private static (byte[], byte[], string) LoadScript()
    {
        using var resource = typeof(PublicChatApi).Assembly.GetManifestResourceStream("widget.js")
            ?? throw new InvalidOperationException("The widget script was not built into Switchboard.Chat; build with npm available (see widget/).");
        using var plain = new MemoryStream();
        resource.CopyTo(plain);
        using var zipped = new MemoryStream();
        using (var gz = new GZipStream(zipped, CompressionLevel.SmallestSize, leaveOpen: true)) gz.Write(plain.GetBuffer(), 0, (int)plain.Length);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(plain.ToArray()))[..16] + "\"";
        return (plain.ToArray(), zipped.ToArray(), etag);
    }
}
