using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Accounts;

public sealed record SetupRequest(string? Token, string? Email, string? Name, string? Password);

/// <summary>
/// First run: the instance needs an owner. Configuration can name one; otherwise a one-time
/// setup link is printed to the console, and whoever holds it creates the owner.
/// </summary>
internal static class Setup
{
    private const string SetupTokenKey = "setup-token-hash";

    public static async Task BootstrapAsync(SwitchboardDb db, AdminBootstrapOptions admin, AccountsOptions accounts, TimeProvider time, ILogger logger, string? publicUrl, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var name in DepartmentsApi.DefaultNames)
        {
            if (!await db.Departments.AnyAsync(d => d.Name == name, ct))
            {
                db.Departments.Add(new Department { Name = name, CreatedAt = now });
            }
        }
        await db.SaveChangesAsync(ct);

        // Demo agents may exist already; what the instance needs is an owner.
        if (await db.Agents.AnyAsync(a => a.Role == AgentRole.Owner, ct)) return;
        if (!string.IsNullOrWhiteSpace(admin.Email) && !string.IsNullOrEmpty(admin.Password))
        {
            Passwords.Validate(admin.Password, accounts.MinPasswordLength);
            await CreateOwnerAsync(db, Parse.Email(admin.Email), admin.Name, admin.Password, now, ct);
            logger.LogInformation("Created the first administrator {Email} from configuration.", admin.Email);
            return;
        }

        var token = Tokens.Base64Url(RandomNumberGenerator.GetBytes(24));
        var setting = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Key == SetupTokenKey, ct);
        if (setting is null) db.InstanceSettings.Add(new InstanceSetting { Key = SetupTokenKey, Value = Tokens.Hash(token) });
        else setting.Value = Tokens.Hash(token);
        await db.SaveChangesAsync(ct);
        var baseUrl = (publicUrl ?? "http://localhost:5000").TrimEnd('/');
        // Printed to the console on purpose: it is the only way in until an owner exists, and it works once.
        Console.WriteLine($"""

            Switchboard has no administrator yet. Open this one-time link to create one:
                {baseUrl}/setup?token={token}
            (or set Switchboard:Admin:Email and Switchboard:Admin:Password and restart)

            """);
    }

    private static async Task<Agent> CreateOwnerAsync(SwitchboardDb db, string email, string name, string password, DateTimeOffset now, CancellationToken ct)
    {
        var agent = new Agent { Email = email, Name = name, Role = AgentRole.Owner, CreatedAt = now };
        agent.PasswordHash = Passwords.Hash(agent, password);
        agent.Departments = await db.Departments.Select(d => new AgentDepartment { DepartmentId = d.Id }).ToListAsync(ct);
        db.Agents.Add(agent);
        await db.SaveChangesAsync(ct);
        return agent;
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/setup", CompleteAsync).AllowAnonymous().WithTags("Authentication")
            .RequireRateLimiting(AuthApi.RateLimitPolicy)
            .WithSummary("Create the first owner with the one-time setup token printed at start-up.");
        app.MapGet("/setup", Page).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/setup", CompleteFormAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription()
            .RequireRateLimiting(AuthApi.RateLimitPolicy);
    }

    private static async Task<Created<AgentDto>> CompleteAsync(SetupRequest request, SwitchboardDb db, TimeProvider time, IOptions<AccountsOptions> options, CancellationToken ct)
    {
        var agent = await RunAsync(request, db, time, options.Value, ct);
        return TypedResults.Created($"/api/v1/agents/{agent.Id}", AgentDto.From(agent));
    }

    private static async Task<ContentHttpResult> CompleteFormAsync(HttpRequest http, SwitchboardDb db, TimeProvider time, IOptions<AccountsOptions> options, CancellationToken ct)
    {
        var form = await http.ReadFormAsync(ct);
        var request = new SetupRequest(form["token"], form["email"], form["name"], form["password"]);
        try
        {
            var agent = await RunAsync(request, db, time, options.Value, ct);
            return Html($"<p>Done. {WebUtility.HtmlEncode(agent.Email)} is the owner of this Switchboard; sign in with that address.</p>");
        }
        catch (ProblemException e)
        {
            return Html($"<p role=\"alert\">{WebUtility.HtmlEncode(e.Message)}</p>" + Form(request.Token ?? ""), e.StatusCode);
        }
    }

    private static async Task<Agent> RunAsync(SetupRequest request, SwitchboardDb db, TimeProvider time, AccountsOptions options, CancellationToken ct)
    {
        var setting = await db.InstanceSettings.FirstOrDefaultAsync(s => s.Key == SetupTokenKey, ct);
        var valid = setting is not null && !string.IsNullOrEmpty(request.Token)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(setting.Value), Encoding.ASCII.GetBytes(Tokens.Hash(request.Token)));
        if (!valid || await db.Agents.AnyAsync(a => a.Role == AgentRole.Owner, ct))
        {
            throw new ProblemException(403, "Setup link not valid", "This setup link is not valid or has already been used.");
        }
        var email = Parse.Email(request.Email);
        Passwords.Validate(request.Password, options.MinPasswordLength);
        var name = string.IsNullOrWhiteSpace(request.Name) ? "Administrator" : request.Name.Trim();
        db.InstanceSettings.Remove(setting!);
        return await CreateOwnerAsync(db, email, name, request.Password!, time.GetUtcNow(), ct);
    }

    private static ContentHttpResult Page(string? token) => Html(Form(token ?? ""));

    private static string Form(string token) => $"""
        <form method="post" action="/setup">
          <input type="hidden" name="token" value="{WebUtility.HtmlEncode(token)}">
          <p><label>Your name <input name="name" autocomplete="name" required></label></p>
          <p><label>Email <input name="email" type="email" autocomplete="email" required></label></p>
          <p><label>Password <input name="password" type="password" autocomplete="new-password" minlength="10" required></label></p>
          <p><button type="submit">Create the owner account</button></p>
        </form>
        """;

    private static ContentHttpResult Html(string body, int status = 200) => TypedResults.Content($"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Set up Switchboard</title></head><body><main><h1>Set up Switchboard</h1>{body}</main></body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8, status);
}
