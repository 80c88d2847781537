using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

internal static class CompaniesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var companies = api.MapGroup("/companies").WithTags("Companies").RequireAuthorization(Policies.Agent);
        companies.MapGet("/", ListAsync);
        companies.MapGet("/{id:long}", GetAsync);
        companies.MapPost("/", CreateAsync);
        companies.MapPatch("/{id:long}", UpdateAsync);
        companies.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Admin);
    }

    private static CompanyDto ToDto(Company c) => new(c.Id, c.Name, c.Domain, c.Notes, c.CreatedAt);

    private static async Task<Ok<ItemsDto<CompanyDto>>> ListAsync(string? q, SwitchboardDb db, CancellationToken ct)
    {
        var query = db.Companies.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            var domain = text.ToLowerInvariant();
            query = query.Where(c => c.Name.Contains(text) || c.Domain == domain);
        }
        var items = await query.OrderBy(c => c.Name).Take(500).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<CompanyDto>(items.Select(ToDto).ToList()));
    }

    private static async Task<Ok<CompanyDto>> GetAsync(long id, SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Company {id}")));

    private static async Task<Created<CompanyDto>> CreateAsync(CompanyRequest request, SwitchboardDb db, TimeProvider time, CancellationToken ct)
    {
        var company = new Company { Name = await UniqueNameAsync(db, request.Name, null, ct), CreatedAt = time.GetUtcNow() };
        Fill(company, request);
        db.Companies.Add(company);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/companies/{company.Id}", ToDto(company));
    }

    private static async Task<Ok<CompanyDto>> UpdateAsync(long id, CompanyRequest request, SwitchboardDb db, CancellationToken ct)
    {
        var company = await db.Companies.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw ProblemException.NotFound($"Company {id}");
        if (request.Name is not null) company.Name = await UniqueNameAsync(db, request.Name, id, ct);
        Fill(company, request);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(company));
    }

    private static async Task<NoContent> DeleteAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        var deleted = await db.Companies.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? throw ProblemException.NotFound($"Company {id}") : TypedResults.NoContent();
    }

    private static void Fill(Company company, CompanyRequest request)
    {
        if (request.Domain is not null) company.Domain = Parse.Text(request.Domain, "domain", 253, required: false).ToLowerInvariant() is { Length: > 0 } d ? d : null;
        if (request.Notes is not null) company.Notes = Parse.Text(request.Notes, "notes", 10_000, required: false);
    }

    private static async Task<string> UniqueNameAsync(SwitchboardDb db, string? name, long? exceptId, CancellationToken ct)
    {
        var trimmed = Parse.Text(name, "name", 200);
        if (await db.Companies.AnyAsync(c => c.Name == trimmed && c.Id != exceptId, ct)) throw ProblemException.Conflict($"A company named '{trimmed}' already exists.");
        return trimmed;
    }
}
