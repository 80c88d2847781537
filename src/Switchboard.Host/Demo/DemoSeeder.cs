using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Host.Demo;

/// <summary>
/// Fills an instance that has no tickets yet with a realistic help desk: the three default
/// departments, agents, companies, customers and a few hundred tickets in English, Filipino
/// and Chinese, with replies, notes, tags and history. Runs once; a second start leaves it be.
/// </summary>
internal static class DemoSeeder
{
    public const string AgentPassword = "demo-password";
    private const int TicketCount = 300;

    public static async Task SeedAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        var db = services.GetRequiredService<SwitchboardDb>();
        var time = services.GetRequiredService<TimeProvider>();
        if (await db.Tickets.AnyAsync(ct))
        {
            logger.LogInformation("Demo data not added: the instance already has tickets.");
            return;
        }
        var random = new Random(20261128);
        var now = time.GetUtcNow();
        var departments = await db.Departments.ToDictionaryAsync(d => d.Name, ct);

        var agents = new List<Agent>();
        var hasher = new PasswordHasher<Agent>();
        foreach (var (name, email, department) in DemoData.Agents)
        {
            var agent = await db.Agents.FirstOrDefaultAsync(a => a.Email == email, ct);
            if (agent is null)
            {
                agent = new Agent { Email = email, Name = name, Role = agents.Count == 0 ? AgentRole.Admin : AgentRole.Agent, CreatedAt = now.AddDays(-200) };
                agent.PasswordHash = hasher.HashPassword(agent, AgentPassword);
                if (departments.TryGetValue(department, out var d)) agent.Departments.Add(new AgentDepartment { DepartmentId = d.Id });
                db.Agents.Add(agent);
            }
            agents.Add(agent);
        }

        var companies = DemoData.Companies.Select(c => new Company { Name = c.Name, Domain = c.Domain, CreatedAt = now.AddDays(-300) }).ToList();
        db.Companies.AddRange(companies);

        var customers = new List<Contact>();
        foreach (var (name, local) in DemoData.Customers)
        {
            var company = companies[random.Next(companies.Count)];
            var useCompany = random.NextDouble() < 0.6;
            var email = $"{local}@{(useCompany ? company.Domain : "mail.example")}";
            var contact = new Contact
            {
                Name = name,
                Company = useCompany ? company : null,
                CreatedAt = now.AddDays(-random.Next(120, 400)),
                UpdatedAt = now.AddDays(-random.Next(0, 100)),
                Identities = [new ContactIdentity { Type = IdentityType.Email, Value = email }],
            };
            if (random.NextDouble() < 0.3)
            {
                contact.Identities.Add(new ContactIdentity { Type = IdentityType.Phone, Value = "+63917" + random.Next(1000000, 9999999) });
            }
            db.Contacts.Add(contact);
            SearchIndex.AddContact(db, contact);
            customers.Add(contact);
        }
        await db.SaveChangesAsync(ct);

        var tags = new Dictionary<string, Tag>();
        foreach (var name in DemoData.Tags)
        {
            tags[name] = await db.Tags.FirstOrDefaultAsync(t => t.Name == name, ct) ?? db.Tags.Add(new Tag { Name = name }).Entity;
        }

        var departmentList = departments.Values.ToList();
        var statuses = new (TicketStatus Status, double Weight)[]
        {
            (TicketStatus.New, 0.15), (TicketStatus.Open, 0.25), (TicketStatus.Pending, 0.1), (TicketStatus.Answered, 0.15),
            (TicketStatus.Resolved, 0.2), (TicketStatus.Closed, 0.12), (TicketStatus.Spam, 0.03),
        };
        var channels = new[] { Channel.Email, Channel.Email, Channel.Email, Channel.Chat, Channel.Chat, Channel.Phone, Channel.Form, Channel.Portal, Channel.Sms };
        for (var i = 0; i < TicketCount; i++)
        {
            var story = DemoData.Stories[random.Next(DemoData.Stories.Length)];
            var customer = customers[random.Next(customers.Count)];
            var department = departmentList[random.Next(departmentList.Count)];
            var inDepartment = agents.Where(a => a.Departments.Any(d => d.DepartmentId == department.Id)).ToList();
            var status = Pick(random, statuses);
            var created = now.AddMinutes(-random.Next(30, 60 * 24 * 90));
            var ticket = new Ticket
            {
                Subject = story.Subject,
                Status = status,
                Priority = (TicketPriority)Math.Min(3, (int)Math.Floor(random.NextDouble() * random.NextDouble() * 4.5)),
                Channel = channels[random.Next(channels.Length)],
                CustomerId = customer.Id,
                DepartmentId = department.Id,
                Assignee = status == TicketStatus.New || inDepartment.Count == 0 ? null : inDepartment[random.Next(inDepartment.Count)],
                CreatedAt = created,
                UpdatedAt = created,
            };
            db.Tickets.Add(ticket);
            SearchIndex.AddSubject(db, ticket);
            History.Record(db, ticket, new Actor(ActorType.Contact, null, customer.Name), "created", created);
            foreach (var tag in story.Tags) ticket.Tags.Add(new TicketTag { Tag = tags[tag] });

            var at = created;
            AddMessage(db, ticket, story.Question, MessageKind.Reply, MessageDirection.Inbound, null, at);
            if (status != TicketStatus.New && ticket.Assignee is { } assignee)
            {
                at = at.AddMinutes(random.Next(5, 600));
                if (random.NextDouble() < 0.3)
                {
                    AddMessage(db, ticket, story.Note, MessageKind.Note, MessageDirection.Internal, assignee, at);
                    at = at.AddMinutes(random.Next(1, 60));
                }
                AddMessage(db, ticket, story.Answer, MessageKind.Reply, MessageDirection.Outbound, assignee, at);
                ticket.FirstResponseAt = at;
                if (status is TicketStatus.Open or TicketStatus.Pending or TicketStatus.Resolved or TicketStatus.Closed && random.NextDouble() < 0.6)
                {
                    at = at.AddMinutes(random.Next(30, 1440));
                    AddMessage(db, ticket, story.FollowUp, MessageKind.Reply, MessageDirection.Inbound, null, at);
                }
                if (status is TicketStatus.Resolved or TicketStatus.Closed)
                {
                    at = at.AddMinutes(random.Next(10, 2000));
                    ticket.ResolvedAt = at;
                    History.Record(db, ticket, new Actor(ActorType.Agent, assignee.Id, assignee.Name),
                        "status_changed", at, "status", "open", status.ToString().ToLowerInvariant());
                }
            }
            ticket.UpdatedAt = at < now ? at : now;
            if ((i + 1) % 100 == 0) await db.SaveChangesAsync(ct);
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation(
            "Demo data added: {Tickets} tickets, {Customers} customers, {Agents} agents (password '{Password}', e.g. {Email}).",
            TicketCount, customers.Count, agents.Count, AgentPassword, agents[0].Email);
    }

    private static void AddMessage(SwitchboardDb db, Ticket ticket, string body, MessageKind kind, MessageDirection direction, Agent? author, DateTimeOffset at)
    {
        var message = new Message
        {
            Kind = kind,
            Direction = direction,
            Channel = ticket.Channel,
            AuthorType = author is null ? ActorType.Contact : ActorType.Agent,
            AuthorAgentId = author?.Id,
            AuthorContactId = author is null ? ticket.CustomerId : null,
            BodyText = body,
            CreatedAt = at,
        };
        ticket.Messages.Add(message);
        ticket.MessageCount++;
        if (kind == MessageKind.Reply) ticket.LastMessageAt = at;
        SearchIndex.AddMessage(db, ticket, message);
    }

    private static T Pick<T>(Random random, (T Value, double Weight)[] choices)
    {
        var roll = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
        {
            roll -= weight;
            if (roll <= 0) return value;
        }
        return choices[^1].Value;
    }
}
