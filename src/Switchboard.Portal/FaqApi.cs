using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Portal;

public sealed record FaqRequest(string? Category, string? Language, string? Question, string? Answer, int? Position, bool? IsPublished);

public sealed record FaqDto(long Id, string Category, string Language, string Question, string AnswerMarkdown, string AnswerHtml, int Position, bool IsPublished);

/// <summary>FAQ entries: questions with Markdown answers, grouped by category, per language.</summary>
internal static class FaqApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var faq = api.MapGroup("/faq").WithTags("FAQ").RequireAuthorization(Policies.Agent);
        faq.MapGet("/", ListAsync);
        faq.MapPost("/", CreateAsync);
        faq.MapPut("/{id:long}", UpdateAsync);
        faq.MapDelete("/{id:long}", DeleteAsync);
    }

    private static FaqDto ToDto(FaqItem f) => new(f.Id, f.Category, f.Language, f.Question, f.AnswerMarkdown, f.AnswerHtml, f.Position, f.IsPublished);

    private static async Task<Ok<ItemsDto<FaqDto>>> ListAsync(string? language, SwitchboardDb db, CancellationToken ct)
    {
        var query = db.FaqItems.AsNoTracking();
        if (Languages.Normalize(language) is { } l) query = query.Where(f => f.Language == l);
        var items = await query.OrderBy(f => f.Language).ThenBy(f => f.Category).ThenBy(f => f.Position).ThenBy(f => f.Id).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<FaqDto>(items.Select(ToDto).ToList()));
    }

    private static void Apply(FaqItem item, FaqRequest request, IOptions<PortalOptions> options, bool creating)
    {
        if (creating || request.Category is not null)
        {
            var category = request.Category?.Trim();
            if (string.IsNullOrEmpty(category) || category.Length > 200) throw ProblemException.Invalid("category", "Give the question a category of 1 to 200 characters.");
            item.Category = category;
        }
        if (creating || request.Question is not null)
        {
            var question = request.Question?.Trim();
            if (string.IsNullOrEmpty(question) || question.Length > 500) throw ProblemException.Invalid("question", "The question needs 1 to 500 characters.");
            item.Question = question;
        }
        if (creating || request.Answer is not null)
        {
            if (string.IsNullOrWhiteSpace(request.Answer) || request.Answer.Length > 50_000) throw ProblemException.Invalid("answer", "The answer needs 1 to 50,000 characters.");
            item.AnswerMarkdown = request.Answer;
            item.AnswerHtml = Markdown.ToHtml(request.Answer);
        }
        if (creating || request.Language is not null) item.Language = KnowledgeBaseApi.Language(request.Language ?? "en", options);
        if (request.Position is { } p) item.Position = p;
        if (request.IsPublished is { } published) item.IsPublished = published;
    }

    private static async Task<Created<FaqDto>> CreateAsync(FaqRequest request, SwitchboardDb db, IOptions<PortalOptions> options, TimeProvider time, CancellationToken ct)
    {
        var item = new FaqItem { Category = "", Question = "", CreatedAt = time.GetUtcNow() };
        Apply(item, request, options, creating: true);
        db.FaqItems.Add(item);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/faq/{item.Id}", ToDto(item));
    }

    private static async Task<Ok<FaqDto>> UpdateAsync(long id, FaqRequest request, SwitchboardDb db, IOptions<PortalOptions> options, CancellationToken ct)
    {
        var item = await db.FaqItems.FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw ProblemException.NotFound($"FAQ entry {id}");
        Apply(item, request, options, creating: false);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(item));
    }

    private static async Task<NoContent> DeleteAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        if (await db.FaqItems.Where(f => f.Id == id).ExecuteDeleteAsync(ct) == 0) throw ProblemException.NotFound($"FAQ entry {id}");
        return TypedResults.NoContent();
    }
}
