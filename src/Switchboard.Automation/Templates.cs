namespace Switchboard.Automation;

/// <summary>The placeholders rules may use in notes and replies; filled in one pass by <see cref="Core.Text.Placeholders"/>.</summary>
internal static class Templates
{
    public static readonly string[] Placeholders = ["{{customer.name}}", "{{ticket.number}}", "{{ticket.subject}}"];

    public static string Render(string template, IReadOnlyDictionary<string, string> values) => Core.Text.Placeholders.Render(template, values);
}
