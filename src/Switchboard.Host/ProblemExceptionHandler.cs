using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Errors;

namespace Switchboard.Host;

/// <summary>Turns failures into RFC 9457 problem details with a message a person can act on.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ProblemException p => Problem(p.StatusCode, p.Title, p.Message, p.Errors),
            BadHttpRequestException { InnerException: JsonException json } => Problem(400, "The request is not valid",
                $"The request body is not valid JSON for this endpoint{Where(json)}. Check the field types."),
            BadHttpRequestException bad when bad.StatusCode == 413 => Problem(413, "Request too large", "The request body is larger than this endpoint accepts."),
            BadHttpRequestException bad => Problem(400, "The request is not valid", bad.Message),
            DbUpdateException db when IsConflict(db) => Problem(409, "Conflict", "The change conflicts with data saved at the same time; reload and try again."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };
        if (problem is null)
        {
            if (exception is OperationCanceledException) return true;
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = Problem(500, "Something went wrong", "The server could not complete the request. It has been logged; try again.");
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>A unique or foreign-key violation: two requests raced. Anything else is a server error, logged.</summary>
    private static bool IsConflict(DbUpdateException exception) => exception.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        Npgsql.PostgresException postgres => postgres.SqlState is "23505" or "23503",
        _ => exception is DbUpdateConcurrencyException,
    };

    private static string Where(JsonException json) => json.Path is { Length: > 1 } path ? $" at '{path.TrimStart('$', '.')}'" : "";

    private static ProblemDetails Problem(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null ? new ProblemDetails() : new ValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        return problem;
    }
}
