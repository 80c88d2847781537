namespace Switchboard.Core.Model;

/// <summary>Which knowledge base an article belongs to: the public one, or the agents' internal one.</summary>
public enum KbAudience { Public, Internal }

public enum ArticleStatus { Draft, Published }

public enum CustomerTokenPurpose { Verify, Reset }

public enum SuggestionStatus { New, UnderReview, Planned, Done, Declined }

/// <summary>A customer's sign-in to the portal, tied to the contact whose tickets they see.</summary>
public class CustomerAccount
{
    public long Id { get; set; }
    public long ContactId { get; set; }
    public Contact? Contact { get; set; }
    /// <summary>Lower-case, trimmed.</summary>
    public required string Email { get; set; }
    public required string Name { get; set; }
    public string PasswordHash { get; set; } = "";
    public DateTimeOffset? EmailVerifiedAt { get; set; }
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    /// <summary>Changes when the password changes, which ends every other session.</summary>
    public string SecurityStamp { get; set; } = "";
    public string Language { get; set; } = "en";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A single-use, expiring link sent by mail (verify the address, reset the password). Only the SHA-256 is kept.</summary>
public class CustomerToken
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public CustomerTokenPurpose Purpose { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

public class KbCategory
{
    public long Id { get; set; }
    public long? ParentId { get; set; }
    public KbAudience Audience { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string? Description { get; set; }
    public int Position { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class KbArticle
{
    public long Id { get; set; }
    public long CategoryId { get; set; }
    /// <summary>Copied from the category, so public reads and search filter on the article alone.</summary>
    public KbAudience Audience { get; set; }
    public ArticleStatus Status { get; set; }
    public required string Slug { get; set; }
    public long ViewCount { get; set; }
    public int HelpfulCount { get; set; }
    public int NotHelpfulCount { get; set; }
    public long? AuthorAgentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public List<KbTranslation> Translations { get; set; } = [];
}

/// <summary>An article in one language (en, fil, zh-Hans…). Holds its search terms, indexed by full-text search.</summary>
public class KbTranslation
{
    public long Id { get; set; }
    public long ArticleId { get; set; }
    public KbArticle? Article { get; set; }
    public required string Language { get; set; }
    public required string Title { get; set; }
    /// <summary>The meta description search engines show; a summary in lists.</summary>
    public string Description { get; set; } = "";
    public string BodyMarkdown { get; set; } = "";
    /// <summary>Rendered from Markdown and sanitized when saved.</summary>
    public string BodyHtml { get; set; } = "";
    public string TitleTokens { get; set; } = "";
    public string BodyTokens { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

public class KbRelatedArticle
{
    public long ArticleId { get; set; }
    public long RelatedId { get; set; }
}

/// <summary>"Was this helpful?" with an optional comment for the knowledge-base team.</summary>
public class KbVote
{
    public long Id { get; set; }
    public long ArticleId { get; set; }
    public bool Helpful { get; set; }
    public string? Comment { get; set; }
    public string Language { get; set; } = "en";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An image uploaded for articles, served publicly by id and hash.</summary>
public class KbImage
{
    public long Id { get; set; }
    public required string Sha256 { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A search that found nothing, counted, so the knowledge-base team sees what is missing.</summary>
public class KbSearchMiss
{
    public long Id { get; set; }
    /// <summary>Folded (lower case, no diacritics), trimmed.</summary>
    public required string Query { get; set; }
    public int Count { get; set; }
    public DateTimeOffset FirstAt { get; set; }
    public DateTimeOffset LastAt { get; set; }
}

public class FaqItem
{
    public long Id { get; set; }
    public required string Category { get; set; }
    public string Language { get; set; } = "en";
    public required string Question { get; set; }
    public string AnswerMarkdown { get; set; } = "";
    public string AnswerHtml { get; set; } = "";
    public int Position { get; set; }
    public bool IsPublished { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

public class ForumCategory
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string? Description { get; set; }
    public int Position { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class ForumTopic
{
    public long Id { get; set; }
    public long CategoryId { get; set; }
    public required string Title { get; set; }
    public long? AuthorAccountId { get; set; }
    public long? AuthorAgentId { get; set; }
    public required string AuthorName { get; set; }
    public bool IsPinned { get; set; }
    public bool IsLocked { get; set; }
    public bool IsHidden { get; set; }
    public bool IsSpam { get; set; }
    public int ReplyCount { get; set; }
    /// <summary>The ticket an agent made of this topic.</summary>
    public long? TicketId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastPostAt { get; set; }
}

/// <summary>A post in a topic; the first one is the topic's question.</summary>
public class ForumPost
{
    public long Id { get; set; }
    public long TopicId { get; set; }
    public long? AuthorAccountId { get; set; }
    public long? AuthorAgentId { get; set; }
    public required string AuthorName { get; set; }
    /// <summary>Sanitized.</summary>
    public required string BodyHtml { get; set; }
    public bool IsHidden { get; set; }
    public bool IsSpam { get; set; }
    /// <summary>The article an agent made of this answer.</summary>
    public long? ArticleId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class Suggestion
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public required string AuthorName { get; set; }
    public required string Title { get; set; }
    /// <summary>Sanitized.</summary>
    public string BodyHtml { get; set; } = "";
    public SuggestionStatus Status { get; set; }
    public int VoteCount { get; set; }
    public int CommentCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A customer who hears by email of new replies in a topic: its author and those who replied, until they stop following.</summary>
public class ForumTopicFollow
{
    public long TopicId { get; set; }
    public long AccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class SuggestionVote
{
    public long SuggestionId { get; set; }
    public long AccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class SuggestionComment
{
    public long Id { get; set; }
    public long SuggestionId { get; set; }
    public long? AccountId { get; set; }
    public long? AgentId { get; set; }
    public required string AuthorName { get; set; }
    /// <summary>Sanitized.</summary>
    public required string BodyHtml { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A form on any website that opens tickets. Its fields are JSON: [{name,label,type,required,options}].</summary>
public class ContactForm
{
    public long Id { get; set; }
    /// <summary>The form's public, unguessable key in its URLs.</summary>
    public required string Key { get; set; }
    public required string Name { get; set; }
    public long? DepartmentId { get; set; }
    public string FieldsJson { get; set; } = "[]";
    /// <summary>Space-separated origins allowed to frame the form (CSP frame-ancestors).</summary>
    public string AllowedOrigins { get; set; } = "";
    public string? SuccessMessage { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}
