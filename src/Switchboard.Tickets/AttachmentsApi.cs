using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

internal static class AttachmentsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var files = api.MapGroup("/attachments").WithTags("Attachments").RequireAuthorization(Policies.Agent);
        files.MapPost("/", UploadAsync).DisableAntiforgery()
            .WithSummary("Upload a file (multipart field 'file'); attach it by id when creating a message.")
            .WithMetadata(new RequestSizeLimitMetadata());
        files.MapGet("/{id:long}", GetAsync);
        files.MapGet("/{id:long}/content", DownloadAsync).WithSummary("Download a file. Always sent as an attachment, never rendered.");
    }

    public static AttachmentDto ToDto(Attachment a) =>
        new(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, $"/api/v1/attachments/{a.Id}/content", a.ContentId, a.IsInline);

    private static async Task<Created<AttachmentDto>> UploadAsync(
        HttpRequest request, HttpContext http, SwitchboardDb db, IAttachmentStore store, IOptions<AttachmentOptions> options, TimeProvider time, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        if (!request.HasFormContentType) throw ProblemException.Invalid("file", "Send the file as multipart/form-data in a field named 'file'.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            // The form reader stops past the size limit (plus room for the form itself) or at a malformed body.
            throw request.ContentLength is not { } length || length > options.Value.MaxBytes
                ? TooLarge(options.Value.MaxBytes)
                : ProblemException.Invalid("file", "The upload is not valid multipart/form-data.");
        }
        var file = form.Files.GetFile("file") ?? throw ProblemException.Invalid("file", "Send the file in a multipart field named 'file'.");
        if (file.Length > options.Value.MaxBytes) throw TooLarge(options.Value.MaxBytes);
        await using var content = file.OpenReadStream();
        var attachment = await StoreAsync(db, store, time, agent, file.FileName, file.ContentType, content, ct);
        return TypedResults.Created($"/api/v1/attachments/{attachment.Id}", attachment);
    }

    /// <summary>Keeps an agent's upload (within the size limit) until a message carries it.</summary>
    internal static async Task<AttachmentDto> StoreAsync(
        SwitchboardDb db, IAttachmentStore store, TimeProvider time, CurrentAgent agent, string? fileName, string? contentType, Stream content, CancellationToken ct)
    {
        StoredFile stored;
        try
        {
            stored = await store.SaveAsync(content, ct);
        }
        catch (FileTooLargeException e)
        {
            throw TooLarge(e.Limit);
        }
        var attachment = new Attachment
        {
            FileName = SafeFileName(fileName),
            ContentType = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType.Trim(),
            Size = stored.Size,
            Sha256 = stored.Sha256,
            UploadedByAgentId = agent.Id,
            CreatedAt = time.GetUtcNow(),
        };
        if (attachment.ContentType.Length > 255) attachment.ContentType = "application/octet-stream";
        db.Attachments.Add(attachment);
        await db.SaveChangesAsync(ct);
        return ToDto(attachment);
    }

    internal static ProblemException TooLarge(long limit) =>
        new(413, "File too large", $"The file is larger than the limit of {limit / (1024 * 1024.0):0.#} MB.");

    private static async Task<Ok<AttachmentDto>> GetAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await LoadAsync(id, http, db, ct)));

    private static async Task<FileStreamHttpResult> DownloadAsync(long id, HttpContext http, SwitchboardDb db, IAttachmentStore store, CancellationToken ct)
    {
        var attachment = await LoadAsync(id, http, db, ct);
        // Files come from strangers: never let a browser render one on this origin.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return TypedResults.File(store.OpenRead(attachment.Sha256), DownloadType(attachment.ContentType), attachment.FileName);
    }

    /// <summary>Types a browser would execute or render as a document are sent as plain bytes.</summary>
    internal static string DownloadType(string contentType)
    {
        var type = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return type.Contains("html", StringComparison.Ordinal) || type.Contains("xml", StringComparison.Ordinal)
            || type.Contains("javascript", StringComparison.Ordinal) || type.StartsWith("text/", StringComparison.Ordinal)
            || type == "application/pdf" || type.Length == 0
            ? "application/octet-stream"
            : type;
    }

    private static async Task<Attachment> LoadAsync(long id, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var agent = CurrentAgent.From(http.User)!;
        var row = await db.Attachments.AsNoTracking()
            .Where(a => a.Id == id)
            .Select(a => new
            {
                Attachment = a,
                Ticket = db.Messages.Where(m => m.Id == a.MessageId).Select(m => new { m.Ticket!.DepartmentId, m.Ticket.AssigneeId }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        var allowed = row is not null && (row.Ticket is null
            ? row.Attachment.UploadedByAgentId == agent.Id || agent.IsAdmin
            : agent.CanSee(row.Ticket.DepartmentId, row.Ticket.AssigneeId));
        return allowed ? row!.Attachment : throw ProblemException.NotFound($"Attachment {id}");
    }

    private static string SafeFileName(string? name)
    {
        var clean = Path.GetFileName((name ?? "").Replace('\\', '/'));
        clean = new string(clean.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length == 0) clean = "file";
        return clean.Length > 255 ? clean[^255..] : clean;
    }
}

/// <summary>Lifts Kestrel's default body limit for uploads; the store enforces the configured limit itself.</summary>
internal sealed class RequestSizeLimitMetadata : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => null;
}
