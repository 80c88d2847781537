using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Switchboard.Core.Model;

namespace Switchboard.Core.Data;

/// <summary>The one unit of work for every module. Entity configurations live beside it.</summary>
public class SwitchboardDb(DbContextOptions<SwitchboardDb> options) : DbContext(options)
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<TicketEvent> TicketEvents => Set<TicketEvent>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<TicketTag> TicketTags => Set<TicketTag>();
    public DbSet<SearchEntry> SearchEntries => Set<SearchEntry>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactIdentity> ContactIdentities => Set<ContactIdentity>();
    public DbSet<Company> Companies => Set<Company>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<AgentDepartment> AgentDepartments => Set<AgentDepartment>();
    public DbSet<AgentCapacity> AgentCapacities => Set<AgentCapacity>();
    public DbSet<AgentSkill> AgentSkills => Set<AgentSkill>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<InstanceSetting> InstanceSettings => Set<InstanceSetting>();
    public DbSet<Mailbox> Mailboxes => Set<Mailbox>();
    public DbSet<InboundMail> InboundMails => Set<InboundMail>();
    public DbSet<OutboundMail> OutboundMails => Set<OutboundMail>();
    public DbSet<TicketParticipant> TicketParticipants => Set<TicketParticipant>();
    public DbSet<WorkCalendar> WorkCalendars => Set<WorkCalendar>();
    public DbSet<WorkCalendarHoliday> WorkCalendarHolidays => Set<WorkCalendarHoliday>();
    public DbSet<SlaPolicy> SlaPolicies => Set<SlaPolicy>();
    public DbSet<AutomationRule> AutomationRules => Set<AutomationRule>();
    public DbSet<CannedResponse> CannedResponses => Set<CannedResponse>();
    public DbSet<SavedFilter> SavedFilters => Set<SavedFilter>();
    public DbSet<ChatWidget> ChatWidgets => Set<ChatWidget>();
    public DbSet<ChatConversation> ChatConversations => Set<ChatConversation>();
    public DbSet<ChatLine> ChatLines => Set<ChatLine>();
    public DbSet<CustomerAccount> CustomerAccounts => Set<CustomerAccount>();
    public DbSet<CustomerToken> CustomerTokens => Set<CustomerToken>();
    public DbSet<KbCategory> KbCategories => Set<KbCategory>();
    public DbSet<KbArticle> KbArticles => Set<KbArticle>();
    public DbSet<KbTranslation> KbTranslations => Set<KbTranslation>();
    public DbSet<KbRelatedArticle> KbRelatedArticles => Set<KbRelatedArticle>();
    public DbSet<KbVote> KbVotes => Set<KbVote>();
    public DbSet<KbImage> KbImages => Set<KbImage>();
    public DbSet<KbSearchMiss> KbSearchMisses => Set<KbSearchMiss>();
    public DbSet<FaqItem> FaqItems => Set<FaqItem>();
    public DbSet<ForumCategory> ForumCategories => Set<ForumCategory>();
    public DbSet<ForumTopic> ForumTopics => Set<ForumTopic>();
    public DbSet<ForumPost> ForumPosts => Set<ForumPost>();
    public DbSet<Suggestion> Suggestions => Set<Suggestion>();
    public DbSet<SuggestionVote> SuggestionVotes => Set<SuggestionVote>();
    public DbSet<SuggestionComment> SuggestionComments => Set<SuggestionComment>();
    public DbSet<ContactForm> ContactForms => Set<ContactForm>();
    public DbSet<ForumTopicFollow> ForumTopicFollows => Set<ForumTopicFollow>();

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no date type that sorts and compares in SQL; Unix milliseconds do both.
        if (IsSqlite)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        }
        configurationBuilder.Properties<TicketStatus>().HaveConversion<LowerCaseEnumConverter<TicketStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<TicketPriority>().HaveConversion<LowerCaseEnumConverter<TicketPriority>>().HaveMaxLength(16);
        configurationBuilder.Properties<Channel>().HaveConversion<LowerCaseEnumConverter<Channel>>().HaveMaxLength(16);
        configurationBuilder.Properties<AgentRole>().HaveConversion<LowerCaseEnumConverter<AgentRole>>().HaveMaxLength(16);
        configurationBuilder.Properties<MessageKind>().HaveConversion<LowerCaseEnumConverter<MessageKind>>().HaveMaxLength(16);
        configurationBuilder.Properties<MessageDirection>().HaveConversion<LowerCaseEnumConverter<MessageDirection>>().HaveMaxLength(16);
        configurationBuilder.Properties<ActorType>().HaveConversion<LowerCaseEnumConverter<ActorType>>().HaveMaxLength(16);
        configurationBuilder.Properties<IdentityType>().HaveConversion<LowerCaseEnumConverter<IdentityType>>().HaveMaxLength(16);
        configurationBuilder.Properties<TokenKind>().HaveConversion<LowerCaseEnumConverter<TokenKind>>().HaveMaxLength(16);
        configurationBuilder.Properties<SearchEntryKind>().HaveConversion<LowerCaseEnumConverter<SearchEntryKind>>().HaveMaxLength(16);
        configurationBuilder.Properties<MailInboundType>().HaveConversion<LowerCaseEnumConverter<MailInboundType>>().HaveMaxLength(16);
        configurationBuilder.Properties<MailSecurity>().HaveConversion<LowerCaseEnumConverter<MailSecurity>>().HaveMaxLength(16);
        configurationBuilder.Properties<InboundMailStatus>().HaveConversion<LowerCaseEnumConverter<InboundMailStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<OutboundMailStatus>().HaveConversion<LowerCaseEnumConverter<OutboundMailStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<SlaStatus>().HaveConversion<LowerCaseEnumConverter<SlaStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<OutboundMailKind>().HaveConversion<LowerCaseEnumConverter<OutboundMailKind>>().HaveMaxLength(16);
        configurationBuilder.Properties<AgentAvailability>().HaveConversion<LowerCaseEnumConverter<AgentAvailability>>().HaveMaxLength(16);
        configurationBuilder.Properties<AssignmentMode>().HaveConversion<LowerCaseEnumConverter<AssignmentMode>>().HaveMaxLength(16);
        configurationBuilder.Properties<SatisfactionRating>().HaveConversion<LowerCaseEnumConverter<SatisfactionRating>>().HaveMaxLength(16);
        configurationBuilder.Properties<ChatRoutingMode>().HaveConversion<LowerCaseEnumConverter<ChatRoutingMode>>().HaveMaxLength(16);
        configurationBuilder.Properties<ChatStatus>().HaveConversion<LowerCaseEnumConverter<ChatStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<KbAudience>().HaveConversion<LowerCaseEnumConverter<KbAudience>>().HaveMaxLength(16);
        configurationBuilder.Properties<ArticleStatus>().HaveConversion<LowerCaseEnumConverter<ArticleStatus>>().HaveMaxLength(16);
        configurationBuilder.Properties<CustomerTokenPurpose>().HaveConversion<LowerCaseEnumConverter<CustomerTokenPurpose>>().HaveMaxLength(16);
        configurationBuilder.Properties<SuggestionStatus>().HaveConversion<LowerCaseEnumConverter<SuggestionStatus>>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<Ticket>(t =>
        {
            t.Property(x => x.Subject).HasMaxLength(500);
            t.Property(x => x.RatingComment).HasMaxLength(2000);
            t.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
            t.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.SetNull);
            t.HasOne(x => x.Assignee).WithMany().HasForeignKey(x => x.AssigneeId).OnDelete(DeleteBehavior.SetNull);
            t.HasMany(x => x.Messages).WithOne(x => x.Ticket).HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            t.HasMany(x => x.Tags).WithOne().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            // The inbox's queries: a queue filtered by status (and department or assignee), newest activity first.
            t.HasIndex(x => new { x.Status, x.DepartmentId, x.UpdatedAt, x.Id });
            t.HasIndex(x => new { x.Status, x.AssigneeId, x.UpdatedAt, x.Id });
            // The same queues sorted by urgency (sort=due).
            t.HasIndex(x => new { x.Status, x.DepartmentId, x.SlaDueAt, x.Id });
            t.HasIndex(x => new { x.Status, x.AssigneeId, x.SlaDueAt, x.Id });
            // All of a status across departments by urgency (an administrator's "All open", "Pending").
            t.HasIndex(x => new { x.Status, x.SlaDueAt, x.Id });
            t.HasIndex(x => new { x.UpdatedAt, x.Id });
            t.HasIndex(x => new { x.CreatedAt, x.Id });
            t.HasIndex(x => new { x.CustomerId, x.UpdatedAt });
            // The SLA worker's pass: only tickets whose next check is due.
            t.HasIndex(x => x.SlaNextCheckAt);
            // Time-based automation: tickets in a status untouched since a moment.
            t.HasIndex(x => new { x.Status, x.UpdatedAt });
        });

        modelBuilder.Entity<Message>(m =>
        {
            m.HasIndex(x => new { x.TicketId, x.CreatedAt, x.Id });
            m.HasIndex(x => x.ExternalId);
            m.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.SetNull);
            m.Property(x => x.ExternalId).HasMaxLength(998);
            m.Property(x => x.ThreadingReason).HasMaxLength(500);
            m.Property(x => x.DeliveryStatus).HasMaxLength(16);
        });

        modelBuilder.Entity<Attachment>(a =>
        {
            a.Property(x => x.FileName).HasMaxLength(255);
            a.Property(x => x.ContentType).HasMaxLength(255);
            a.Property(x => x.Sha256).HasMaxLength(64);
            a.Property(x => x.ContentId).HasMaxLength(255);
            a.HasIndex(x => x.Sha256);
        });

        modelBuilder.Entity<TicketEvent>(e =>
        {
            e.Property(x => x.Type).HasMaxLength(64);
            e.Property(x => x.Field).HasMaxLength(64);
            e.HasIndex(x => new { x.TicketId, x.Id });
            e.HasOne(x => x.Ticket).WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Tag>(t =>
        {
            t.Property(x => x.Name).HasMaxLength(100);
            t.HasIndex(x => x.Name).IsUnique();
        });

        modelBuilder.Entity<TicketTag>(t =>
        {
            t.HasKey(x => new { x.TicketId, x.TagId });
            t.HasIndex(x => new { x.TagId, x.TicketId });
            t.HasOne(x => x.Tag).WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SearchEntry>(s =>
        {
            s.HasOne(x => x.Ticket).WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            s.HasOne(x => x.Message).WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            s.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Contact>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(200);
            c.HasOne(x => x.Company).WithMany().HasForeignKey(x => x.CompanyId).OnDelete(DeleteBehavior.SetNull);
            c.HasMany(x => x.Identities).WithOne().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
            c.HasIndex(x => x.Name);
        });

        modelBuilder.Entity<ContactIdentity>(i =>
        {
            i.Property(x => x.Provider).HasMaxLength(50);
            i.Property(x => x.Value).HasMaxLength(320);
            i.HasIndex(x => new { x.Type, x.Provider, x.Value }).IsUnique();
        });

        modelBuilder.Entity<Company>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Domain).HasMaxLength(253);
            c.HasIndex(x => x.Name).IsUnique();
        });

        modelBuilder.Entity<Department>(d =>
        {
            d.Property(x => x.Name).HasMaxLength(100);
            d.HasIndex(x => x.Name).IsUnique();
            d.HasOne<WorkCalendar>().WithMany().HasForeignKey(x => x.CalendarId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<Agent>(a =>
        {
            a.Property(x => x.Email).HasMaxLength(320);
            a.Property(x => x.Name).HasMaxLength(200);
            a.Property(x => x.Language).HasMaxLength(16);
            a.Property(x => x.TimeZone).HasMaxLength(64);
            a.HasIndex(x => x.Email).IsUnique();
            a.HasMany(x => x.Departments).WithOne().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
            a.HasMany(x => x.Capacities).WithOne().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
            a.HasMany(x => x.Skills).WithOne().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AgentCapacity>(c => c.HasKey(x => new { x.AgentId, x.Channel }));

        modelBuilder.Entity<AgentSkill>(k =>
        {
            k.HasKey(x => new { x.AgentId, x.Tag });
            k.Property(x => x.Tag).HasMaxLength(100);
        });

        modelBuilder.Entity<AgentDepartment>(ad =>
        {
            ad.HasKey(x => new { x.AgentId, x.DepartmentId });
            ad.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ApiToken>(t =>
        {
            t.Property(x => x.Name).HasMaxLength(100);
            t.Property(x => x.TokenHash).HasMaxLength(64);
            t.Property(x => x.Prefix).HasMaxLength(16);
            t.HasIndex(x => x.TokenHash).IsUnique();
            t.HasIndex(x => x.AgentId);
            t.HasOne(x => x.Agent).WithMany().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Mailbox>(m =>
        {
            m.Property(x => x.Address).HasMaxLength(320);
            m.Property(x => x.Name).HasMaxLength(200);
            m.Property(x => x.InboundHost).HasMaxLength(253);
            m.Property(x => x.InboundUsername).HasMaxLength(320);
            m.Property(x => x.InboundFolder).HasMaxLength(200);
            m.Property(x => x.OutboundHost).HasMaxLength(253);
            m.Property(x => x.OutboundUsername).HasMaxLength(320);
            m.HasIndex(x => x.Address).IsUnique();
            m.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<InboundMail>(m =>
        {
            m.Property(x => x.DedupKey).HasMaxLength(1000);
            m.Property(x => x.RawSha256).HasMaxLength(64);
            m.Property(x => x.Source).HasMaxLength(16);
            m.Property(x => x.FromAddress).HasMaxLength(320);
            m.Property(x => x.Subject).HasMaxLength(500);
            m.HasIndex(x => new { x.MailboxId, x.DedupKey }).IsUnique();
            m.HasIndex(x => new { x.Status, x.Id });
            m.HasIndex(x => x.TicketId);
            m.HasOne<Mailbox>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<OutboundMail>(m =>
        {
            m.Property(x => x.MessageIdHeader).HasMaxLength(300);
            m.Property(x => x.Subject).HasMaxLength(1000);
            m.HasIndex(x => new { x.Status, x.NextAttemptAt });
            m.HasIndex(x => x.MessageIdHeader).IsUnique();
            m.HasIndex(x => new { x.Kind, x.ToAddresses, x.CreatedAt });
            m.HasOne<Mailbox>().WithMany().HasForeignKey(x => x.MailboxId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TicketParticipant>(p =>
        {
            p.HasKey(x => new { x.TicketId, x.Email });
            p.Property(x => x.Email).HasMaxLength(320);
            p.Property(x => x.Name).HasMaxLength(200);
            p.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WorkCalendar>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(100);
            c.Property(x => x.TimeZone).HasMaxLength(64);
            c.HasIndex(x => x.Name).IsUnique();
            c.HasMany(x => x.Holidays).WithOne().HasForeignKey(x => x.CalendarId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WorkCalendarHoliday>(h =>
        {
            h.HasKey(x => new { x.CalendarId, x.Date });
            h.Property(x => x.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<SlaPolicy>(p =>
        {
            p.Property(x => x.Name).HasMaxLength(200);
            p.HasIndex(x => x.Position);
            p.HasOne<WorkCalendar>().WithMany().HasForeignKey(x => x.CalendarId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<AutomationRule>(r =>
        {
            r.Property(x => x.Name).HasMaxLength(200);
            r.Property(x => x.Trigger).HasMaxLength(32);
            r.Property(x => x.WebhookSecret).HasMaxLength(200);
            r.HasIndex(x => x.Name).IsUnique();
            r.HasIndex(x => new { x.Trigger, x.Position });
        });

        modelBuilder.Entity<ChatWidget>(w =>
        {
            w.Property(x => x.Name).HasMaxLength(200);
            w.Property(x => x.PublicKey).HasMaxLength(64);
            w.Property(x => x.IdentitySecret).HasMaxLength(128);
            w.HasIndex(x => x.PublicKey).IsUnique();
            w.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<ChatConversation>(c =>
        {
            c.Property(x => x.VisitorTokenHash).HasMaxLength(64);
            c.Property(x => x.VisitorName).HasMaxLength(200);
            c.Property(x => x.VisitorEmail).HasMaxLength(320);
            c.Property(x => x.PassedAgentIds).HasMaxLength(2000);
            c.Property(x => x.CurrentPage).HasMaxLength(2000);
            c.Property(x => x.Referrer).HasMaxLength(2000);
            c.Property(x => x.Locale).HasMaxLength(35);
            c.Property(x => x.UserAgent).HasMaxLength(500);
            c.HasIndex(x => x.VisitorTokenHash).IsUnique();
            // The router's pass reads waiting chats; agent counts read live chats per agent.
            c.HasIndex(x => new { x.Status, x.QueuedAt });
            c.HasIndex(x => new { x.AgentId, x.Status });
            c.HasIndex(x => x.TicketId);
            c.HasOne<ChatWidget>().WithMany().HasForeignKey(x => x.WidgetId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne(x => x.Ticket).WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ChatLine>(l =>
        {
            l.Property(x => x.ClientId).HasMaxLength(64);
            // Exactly once: a resent line with the same client id is the same line.
            l.HasIndex(x => new { x.ConversationId, x.ClientId }).IsUnique();
            l.HasIndex(x => new { x.ConversationId, x.Id });
            l.HasOne(x => x.Conversation).WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
            l.HasOne(x => x.Message).WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
            l.HasOne(x => x.Attachment).WithMany().HasForeignKey(x => x.AttachmentId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<InstanceSetting>(s =>
        {
            s.HasKey(x => x.Key);
            s.Property(x => x.Key).HasMaxLength(100);
        });

        modelBuilder.Entity<CannedResponse>(c =>
        {
            c.Property(x => x.Title).HasMaxLength(200);
            c.Property(x => x.Body).HasMaxLength(20_000);
            c.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne<Agent>().WithMany().HasForeignKey(x => x.OwnerAgentId).OnDelete(DeleteBehavior.Cascade);
            c.HasOne<Agent>().WithMany().HasForeignKey(x => x.CreatedByAgentId).OnDelete(DeleteBehavior.SetNull);
            c.HasIndex(x => x.Title);
        });

        modelBuilder.Entity<SavedFilter>(f =>
        {
            f.Property(x => x.Name).HasMaxLength(100);
            f.Property(x => x.Query).HasMaxLength(2000);
            f.HasOne<Agent>().WithMany().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
            f.HasIndex(x => new { x.AgentId, x.Name }).IsUnique();
        });

        ConfigurePortal(modelBuilder);
    }

    /// <summary>Customer accounts, knowledge base, FAQ, forum, feedback and contact forms.</summary>
    private static void ConfigurePortal(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CustomerAccount>(a =>
        {
            a.Property(x => x.Email).HasMaxLength(320);
            a.Property(x => x.Name).HasMaxLength(200);
            a.Property(x => x.SecurityStamp).HasMaxLength(64);
            a.Property(x => x.Language).HasMaxLength(16);
            a.HasIndex(x => x.Email).IsUnique();
            a.HasIndex(x => x.ContactId);
            a.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<CustomerToken>(t =>
        {
            t.Property(x => x.TokenHash).HasMaxLength(64);
            t.HasIndex(x => x.TokenHash).IsUnique();
            t.HasIndex(x => new { x.AccountId, x.Purpose });
            t.HasOne<CustomerAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<KbCategory>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Slug).HasMaxLength(200);
            c.Property(x => x.Description).HasMaxLength(1000);
            c.HasIndex(x => new { x.Audience, x.ParentId, x.Position });
            c.HasOne<KbCategory>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<KbArticle>(a =>
        {
            a.Property(x => x.Slug).HasMaxLength(200);
            a.HasIndex(x => new { x.CategoryId, x.Status, x.Audience });
            a.HasIndex(x => new { x.Audience, x.Status, x.ViewCount });
            a.HasOne<KbCategory>().WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Restrict);
            a.HasMany(x => x.Translations).WithOne(x => x.Article).HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<KbTranslation>(t =>
        {
            t.Property(x => x.Language).HasMaxLength(16);
            t.Property(x => x.Title).HasMaxLength(300);
            t.Property(x => x.Description).HasMaxLength(500);
            t.HasIndex(x => new { x.ArticleId, x.Language }).IsUnique();
        });

        modelBuilder.Entity<KbRelatedArticle>(r =>
        {
            r.HasKey(x => new { x.ArticleId, x.RelatedId });
            r.HasOne<KbArticle>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne<KbArticle>().WithMany().HasForeignKey(x => x.RelatedId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<KbVote>(v =>
        {
            v.Property(x => x.Comment).HasMaxLength(2000);
            v.Property(x => x.Language).HasMaxLength(16);
            v.HasIndex(x => new { x.ArticleId, x.CreatedAt });
            v.HasOne<KbArticle>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<KbImage>(i =>
        {
            i.Property(x => x.Sha256).HasMaxLength(64);
            i.Property(x => x.FileName).HasMaxLength(255);
            i.Property(x => x.ContentType).HasMaxLength(255);
        });

        modelBuilder.Entity<KbSearchMiss>(m =>
        {
            m.Property(x => x.Query).HasMaxLength(200);
            m.HasIndex(x => x.Query).IsUnique();
            m.HasIndex(x => new { x.Count, x.LastAt });
        });

        modelBuilder.Entity<FaqItem>(f =>
        {
            f.Property(x => x.Category).HasMaxLength(200);
            f.Property(x => x.Language).HasMaxLength(16);
            f.Property(x => x.Question).HasMaxLength(500);
            f.HasIndex(x => new { x.Language, x.Category, x.Position });
        });

        modelBuilder.Entity<ForumCategory>(c =>
        {
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Slug).HasMaxLength(200);
            c.Property(x => x.Description).HasMaxLength(1000);
            c.HasIndex(x => x.Slug).IsUnique();
        });

        modelBuilder.Entity<ForumTopic>(t =>
        {
            t.Property(x => x.Title).HasMaxLength(300);
            t.Property(x => x.AuthorName).HasMaxLength(200);
            t.HasIndex(x => new { x.CategoryId, x.IsPinned, x.LastPostAt });
            t.HasOne<ForumCategory>().WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ForumPost>(p =>
        {
            p.Property(x => x.AuthorName).HasMaxLength(200);
            p.HasIndex(x => new { x.TopicId, x.Id });
            p.HasOne<ForumTopic>().WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Suggestion>(s =>
        {
            s.Property(x => x.Title).HasMaxLength(300);
            s.Property(x => x.AuthorName).HasMaxLength(200);
            s.HasIndex(x => new { x.Status, x.VoteCount });
            s.HasOne<CustomerAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SuggestionVote>(v =>
        {
            v.HasKey(x => new { x.SuggestionId, x.AccountId });
            v.HasOne<Suggestion>().WithMany().HasForeignKey(x => x.SuggestionId).OnDelete(DeleteBehavior.Cascade);
            v.HasOne<CustomerAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SuggestionComment>(c =>
        {
            c.Property(x => x.AuthorName).HasMaxLength(200);
            c.HasIndex(x => new { x.SuggestionId, x.Id });
            c.HasOne<Suggestion>().WithMany().HasForeignKey(x => x.SuggestionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ContactForm>(f =>
        {
            f.Property(x => x.Key).HasMaxLength(64);
            f.Property(x => x.Name).HasMaxLength(200);
            f.Property(x => x.AllowedOrigins).HasMaxLength(2000);
            f.Property(x => x.SuccessMessage).HasMaxLength(1000);
            f.HasIndex(x => x.Key).IsUnique();
            f.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<ForumTopicFollow>(f =>
        {
            f.HasKey(x => new { x.TopicId, x.AccountId });
            f.HasIndex(x => x.AccountId);
            f.HasOne<ForumTopic>().WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
            f.HasOne<CustomerAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));

/// <summary>Enums as lower-case names; an empty value (a column added to existing rows) reads as the enum's default.</summary>
public sealed class LowerCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => v.ToString().ToLowerInvariant(),
    v => v.Length == 0 ? default : Enum.Parse<TEnum>(v, true))
    where TEnum : struct, Enum;
