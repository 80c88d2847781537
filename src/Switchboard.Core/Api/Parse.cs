using System.Globalization;
using System.Net.Mail;
using Switchboard.Core.Errors;

namespace Switchboard.Core.Api;

/// <summary>Reads enumeration values from requests and says which values are allowed when one is wrong.</summary>
public static class Parse
{
    public static TEnum Enum<TEnum>(string value, string field) where TEnum : struct, Enum
    {
        if (System.Enum.TryParse<TEnum>(value.Trim(), true, out var parsed) && System.Enum.IsDefined(parsed)
            && !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            return parsed;
        }
        var allowed = string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()));
        throw ProblemException.Invalid(field, $"'{value}' is not a valid {field}; use one of: {allowed}.");
    }

    public static TEnum? OptionalEnum<TEnum>(string? value, string field) where TEnum : struct, Enum =>
        string.IsNullOrWhiteSpace(value) ? null : Enum<TEnum>(value, field);

    /// <summary>A comma-separated list such as <c>status=open,pending</c>.</summary>
    public static TEnum[] EnumList<TEnum>(string? value, string field) where TEnum : struct, Enum =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Enum<TEnum>(v, field)).Distinct().ToArray();

    public static string Text(string? value, string field, int max, bool required = true)
    {
        var trimmed = value?.Trim() ?? "";
        if (required && trimmed.Length == 0) throw ProblemException.Invalid(field, $"The {field} must not be empty.");
        if (trimmed.Length > max) throw ProblemException.Invalid(field, $"The {field} must have at most {max} characters.");
        return trimmed;
    }

    /// <summary>A trimmed, lower-case email address; one the address parser would change is refused.</summary>
    public static string Email(string? value, string field = "email")
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length is 0 or > 320 || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed)
        {
            throw ProblemException.Invalid(field, $"'{trimmed}' is not a valid email address.");
        }
        return trimmed.ToLowerInvariant();
    }
}
