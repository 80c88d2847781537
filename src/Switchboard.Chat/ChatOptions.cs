using System.ComponentModel.DataAnnotations;

namespace Switchboard.Chat;

/// <summary>Live chat settings (section <c>Chat</c>).</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>Longest chat message, in characters.</summary>
    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 4000;

    /// <summary>Messages (and typing previews) a visitor may send per 10 seconds on one connection.</summary>
    [Range(1, 10_000)]
    public int VisitorMessagesPer10Seconds { get; set; } = 30;

    /// <summary>New chats and offline messages one client address may start per minute.</summary>
    [Range(1, 1_000_000)]
    public int StartsPerMinutePerAddress { get; set; } = 20;

    /// <summary>How often the router looks at waiting chats when nothing pokes it.</summary>
    public TimeSpan RoutingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Run the router in this process.</summary>
    public bool RunRouter { get; set; } = true;
}
