using Switchboard.Core.Text;

namespace Switchboard.Email;

/// <summary>The acknowledgement sent for a new ticket by email, unless the mailbox has its own.</summary>
internal static class Templates
{
    public static string Render(string template, IReadOnlyDictionary<string, string> values, bool html = false) =>
        Placeholders.Render(template, values, html);

    public const string DefaultAcknowledgement = """
        Hello {{customer.name}},

        Thank you for writing to us. We have received your message and opened request {{ticket.number}} for it.
        We will answer as soon as we can; reply to this email to add anything.

        {{mailbox.name}}
        """;
}
