namespace Switchboard.Core.Errors;

/// <summary>
/// A failure a person can act on. The host turns it into RFC 9457 problem details with
/// <see cref="StatusCode"/>, <see cref="Title"/> and the message as the detail.
/// </summary>
public class ProblemException(int statusCode, string title, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int StatusCode { get; } = statusCode;
    public string Title { get; } = title;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    public static ProblemException NotFound(string what) =>
        new(404, "Not found", $"{what} does not exist or you do not have access to it.");

    public static ProblemException Invalid(string field, string message) =>
        new(400, "The request is not valid", message, new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemException Conflict(string message) => new(409, "Conflict", message);

    public static ProblemException Forbidden(string message) => new(403, "Forbidden", message);
}
