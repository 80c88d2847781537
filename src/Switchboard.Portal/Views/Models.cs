namespace Switchboard.Portal.Views;

public sealed record CategoryItem(long Id, string Name, string Slug, string? Description, long? ParentId);

public sealed record ArticleItem(long Id, string Slug, string Title, string Description, string Language);

public sealed record HomeModel(IReadOnlyList<CategoryItem> Categories, IReadOnlyList<ArticleItem> Popular);

public sealed record CategoryModel(CategoryItem Category, CategoryItem? Parent, IReadOnlyList<CategoryItem> Children, IReadOnlyList<ArticleItem> Articles);

public sealed record ArticleModel(
    long Id, string Slug, string Language, string Title, string Description, string BodyHtml, DateTimeOffset UpdatedAt, long ViewCount,
    IReadOnlyList<string> Languages, IReadOnlyList<ArticleItem> Related, CategoryItem Category, string? Notice);

public sealed record SearchModel(string Query, IReadOnlyList<KbHit> Hits);

public sealed record FaqEntry(long Id, string Question, string AnswerHtml);

public sealed record FaqModel(IReadOnlyList<(string Category, IReadOnlyList<FaqEntry> Items)> Groups);

/// <summary>A page that only says something: a confirmation, an error, a "check your mail".</summary>
public sealed record MessageModel(string Title, string Text, bool IsError = false, string? LinkText = null, string? LinkHref = null);

public enum AccountForm { SignUp, SignIn, Forgot, Reset }

public sealed record AccountFormModel(AccountForm Form, string? Error = null, string? Email = null, string? Name = null, string? Token = null, string? ReturnUrl = null, string? Notice = null);

public sealed record TicketRow(long Id, string Subject, string Status, string Channel, DateTimeOffset UpdatedAt);

public sealed record TicketListModel(IReadOnlyList<TicketRow> Tickets, string? Notice);

public sealed record TicketMessage(long Id, bool FromCustomer, string AuthorName, string? BodyHtml, string BodyText, DateTimeOffset CreatedAt, IReadOnlyList<string> Attachments);

public sealed record TicketModel(
    long Id, string Subject, string Status, string Channel, DateTimeOffset CreatedAt, IReadOnlyList<TicketMessage> Messages,
    string Rating, string? RatingComment, string? Notice, string? Error);

public sealed record NewTicketModel(string? Subject, string? Body, string? Error);

public sealed record ForumCategoryItem(long Id, string Name, string Slug, string? Description, int TopicCount);

public sealed record ForumHomeModel(IReadOnlyList<ForumCategoryItem> Categories);

public sealed record TopicRow(long Id, string Title, string AuthorName, int ReplyCount, bool IsPinned, bool IsLocked, DateTimeOffset LastPostAt);

public sealed record ForumCategoryModel(ForumCategoryItem Category, IReadOnlyList<TopicRow> Topics, string? Error, string? Title, string? Body);

public sealed record PostItem(long Id, string AuthorName, bool ByAgent, string BodyHtml, DateTimeOffset CreatedAt);

/// <summary>A topic page; <paramref name="Following"/> is null when nobody is signed in.</summary>
public sealed record TopicModel(
    long Id, string Title, bool IsLocked, bool IsPinned, ForumCategoryItem Category, IReadOnlyList<PostItem> Posts, string? Error, bool? Following = null, string? Notice = null);

public sealed record UnsubscribeModel(string Token, string TopicTitle, bool Done);

public sealed record SuggestionRow(long Id, string Title, string AuthorName, string Status, int VoteCount, int CommentCount, bool VotedByMe);

public sealed record FeedbackListModel(IReadOnlyList<SuggestionRow> Suggestions, string? Status, string? Error, string? Title, string? Body);

public sealed record CommentItem(long Id, string AuthorName, bool ByAgent, string BodyHtml, DateTimeOffset CreatedAt);

public sealed record SuggestionModel(SuggestionRow Suggestion, string BodyHtml, IReadOnlyList<CommentItem> Comments, string? Notice, string? Error);

/// <summary>One field of a contact form. Type: text, textarea, email, select, checkbox or file.</summary>
public sealed record FormField(string Name, string Label, string Type, bool Required = false, IReadOnlyList<string>? Options = null);

public sealed record ContactFormModel(
    string Key, string Name, IReadOnlyList<FormField> Fields, string Token, IReadOnlyDictionary<string, string> Values, string? Error, string? Done);

public sealed record IdentityItem(string Kind, string Value);

/// <summary>The profile page; <paramref name="Section"/> names the form a notice or error belongs to (profile, password, email).</summary>
public sealed record ProfileModel(
    string Name, string Email, string Language, IReadOnlyList<IdentityItem> Identities, string? Notice, string? Error, string? Section, string? NewEmail);
