namespace Switchboard.Core.Api;

/// <summary>A list response: <c>{ "items": [...] }</c>, with <c>nextCursor</c> when there is a next page.</summary>
public sealed record ItemsDto<T>(IReadOnlyList<T> Items);

public sealed record PageDto<T>(IReadOnlyList<T> Items, string? NextCursor);
