namespace Switchboard.Portal;

/// <summary>English names customers read for stored values (statuses, channels); pages translate them with the rest of their wording.</summary>
public static class Labels
{
    /// <summary>A ticket status as a customer reads it: "pending" means the team waits for the customer.</summary>
    public static string Status(string status) => status switch
    {
        "new" => "Received",
        "open" => "Open",
        "pending" => "Waiting for your reply",
        "answered" => "Answered",
        "resolved" => "Resolved",
        "closed" => "Closed",
        _ => status,
    };

    public static string Channel(string channel) => channel switch
    {
        "email" => "Email",
        "chat" => "Chat",
        "phone" => "Phone",
        "sms" => "SMS",
        "social" => "Social media",
        "form" => "Contact form",
        "portal" => "Help center",
        "api" => "API",
        "web" => "Website",
        _ => channel,
    };
}
