using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Scalar.AspNetCore;
using Switchboard.Accounts;
using Switchboard.Core.Data;
using Switchboard.Core.Nodes;
using Switchboard.Host.Demo;

namespace Switchboard.Host;

/// <summary>What every module relies on: database, problem details, JSON, OpenAPI, rate limits, health.</summary>
internal static class HostSetup
{
    /// <summary><c>--demo</c> is a switch; configuration wants key=value.</summary>
    public static string[] ExpandSwitches(string[] args) =>
        args.Select(a => a == "--demo" ? "--Switchboard:Demo=true" : a).ToArray();

    public static WebApplicationBuilder AddSwitchboardPlatform(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Switchboard.Core.Events.AgentPresence>();
        builder.Services.AddSwitchboardDb(builder.Configuration);
        builder.Services.AddNodeBus(builder.Configuration);
        // Keys beside the database, so tokens protected by one start still open after a restart.
        builder.Services.AddDataProtection().SetApplicationName("Switchboard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(DatabaseSetup.DataDirectory(builder.Configuration), "keys")));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Switchboard API";
            doc.Info.Version = "v1";
            doc.Info.Description = "Tickets, messages, contacts and the rest of the help desk. Authenticate with POST /api/v1/auth/token, then send Authorization: Bearer <token>.";
            return Task.CompletedTask;
        }));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var signInPerMinute = builder.Configuration.GetValue("Switchboard:RateLimits:SignInPerMinute", 10);
            // Per client address: slows password guessing without locking out everyone behind one proxy.
            o.AddPolicy(AccountsModule.SignInRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = signInPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = "Too many attempts from your address; wait a minute and try again." },
                });
            };
        });
        return builder;
    }

    public static WebApplication UseSwitchboardPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "same-origin";
            await next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        // Form posts of the workspace and the portal are checked against their antiforgery tokens.
        app.UseAntiforgery();
        app.UseRateLimiter();
        return app;
    }

    public static RouteGroupBuilder MapApiV1(this WebApplication app) => app.MapGroup("/api/v1");

    public static WebApplication MapPlatformEndpoints(this WebApplication app)
    {
        app.MapGet("/health", async (SwitchboardDb db, CancellationToken ct) =>
                await db.Database.CanConnectAsync(ct)
                    ? Results.Ok(new { status = "ok" })
                    : Results.Problem("The database is not reachable.", statusCode: 503, title: "Unavailable"))
            .AllowAnonymous().ExcludeFromDescription();
        // Liveness: the process answers HTTP; no database work, so a load balancer's probe costs nothing.
        app.MapGet("/health/live", () => TypedResults.Ok(new LiveStatus("ok"))).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi();
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("Switchboard API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }

    /// <summary>Migrations run at start-up, before the host accepts requests, so /health answers only once the schema is current.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        await DatabaseSetup.MigrateAsync(db);
        app.Logger.LogInformation("Database ready ({Provider}).", db.IsSqlite ? "SQLite" : "PostgreSQL");
    }

    public static async Task SeedDemoIfRequestedAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Switchboard:Demo", false)) return;
        await using var scope = app.Services.CreateAsyncScope();
        await DemoSeeder.SeedAsync(scope.ServiceProvider, app.Logger, CancellationToken.None);
    }
}

/// <summary>The answer of <c>GET /health/live</c>.</summary>
internal sealed record LiveStatus(string Status);
