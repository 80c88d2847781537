using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Tickets;

/// <summary>Applies a validated set of changes to a ticket and records each one in its history.</summary>
internal sealed class TicketChanges
{
    public string? Subject { get; private init; }
    public TicketStatus? Status { get; private init; }
    public TicketPriority? Priority { get; private init; }
    public long? DepartmentId { get; private init; }
    public bool ClearDepartment { get; private init; }
    public long? AssigneeId { get; private init; }
    public bool ClearAssignee { get; private init; }
    public long? CustomerId { get; private init; }
    public IReadOnlyList<string>? SetTags { get; private init; }
    public IReadOnlyList<string> AddTags { get; private init; } = [];
    public IReadOnlyList<string> RemoveTags { get; private init; } = [];

    /// <summary>Checks the request against the database: departments, agents and contacts must exist and be allowed.</summary>
    public static async Task<TicketChanges> ValidateAsync(SwitchboardDb db, UpdateTicketRequest request, CancellationToken ct)
    {
        var changes = new TicketChanges
        {
            Subject = request.Subject is null ? null : Parse.Text(request.Subject, "subject", 500),
            Status = Parse.OptionalEnum<TicketStatus>(request.Status, "status"),
            Priority = Parse.OptionalEnum<TicketPriority>(request.Priority, "priority"),
            DepartmentId = request.DepartmentId,
            ClearDepartment = request.ClearDepartment == true,
            AssigneeId = request.AssigneeId,
            ClearAssignee = request.ClearAssignee == true,
            CustomerId = request.CustomerId,
            SetTags = request.Tags is null ? null : Tags.Normalize(request.Tags),
            AddTags = Tags.Normalize(request.AddTags),
            RemoveTags = Tags.Normalize(request.RemoveTags),
        };
        if (changes.DepartmentId is { } dept) await EnsureDepartmentAsync(db, dept, ct);
        if (changes.AssigneeId is { } assignee) await EnsureAssigneeAsync(db, assignee, ct);
        if (changes.CustomerId is { } customer && !await db.Contacts.AnyAsync(c => c.Id == customer && c.MergedIntoId == null, ct))
        {
            throw ProblemException.Invalid("customerId", $"Contact {customer} does not exist.");
        }
        return changes;
    }

    /// <summary>Any agent may hand a ticket to any department; that is how tickets are transferred.</summary>
    public static async Task EnsureDepartmentAsync(SwitchboardDb db, long departmentId, CancellationToken ct)
    {
        if (!await db.Departments.AnyAsync(d => d.Id == departmentId, ct))
        {
            throw ProblemException.Invalid("departmentId", $"Department {departmentId} does not exist.");
        }
    }

    public static async Task EnsureAssigneeAsync(SwitchboardDb db, long agentId, CancellationToken ct)
    {
        if (!await db.Agents.AnyAsync(a => a.Id == agentId && a.IsActive, ct))
        {
            throw ProblemException.Invalid("assigneeId", $"Agent {agentId} does not exist or is deactivated.");
        }
    }

    /// <summary>Applies the changes; the ticket must be tracked with its tags loaded.</summary>
    public async Task ApplyAsync(SwitchboardDb db, Ticket ticket, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var before = (ticket.Subject, ticket.Status, ticket.Priority, ticket.DepartmentId, ticket.AssigneeId, ticket.CustomerId);
        if (Subject is not null && Subject != ticket.Subject)
        {
            History.Change(db, ticket, actor, now, "subject", ticket.Subject, Subject);
            ticket.Subject = Subject;
            await SearchIndex.ReplaceSubjectAsync(db, ticket, ct);
        }
        if (Status is { } status) SetStatus(db, ticket, status, actor, now);
        if (Priority is { } priority)
        {
            History.Change(db, ticket, actor, now, "priority", ticket.Priority, priority);
            ticket.Priority = priority;
        }
        var department = ClearDepartment ? null : DepartmentId ?? ticket.DepartmentId;
        History.Change(db, ticket, actor, now, "department", ticket.DepartmentId, department);
        ticket.DepartmentId = department;
        var assignee = ClearAssignee ? null : AssigneeId ?? ticket.AssigneeId;
        History.Change(db, ticket, actor, now, "assignee", ticket.AssigneeId, assignee);
        ticket.AssigneeId = assignee;
        if (CustomerId is { } customer)
        {
            History.Change(db, ticket, actor, now, "customer", ticket.CustomerId, customer);
            ticket.CustomerId = customer;
        }
        var tagsChanged = await Tags.ApplyAsync(db, ticket, SetTags, AddTags, RemoveTags, actor, now, ct);
        if (tagsChanged || before != (ticket.Subject, ticket.Status, ticket.Priority, ticket.DepartmentId, ticket.AssigneeId, ticket.CustomerId))
        {
            ticket.UpdatedAt = now;
        }
    }

    /// <summary>Status changes keep resolution time current: resolving stamps it, reopening clears it.</summary>
    public static void SetStatus(SwitchboardDb db, Ticket ticket, TicketStatus status, Actor actor, DateTimeOffset now)
    {
        if (ticket.Status == status) return;
        History.Change(db, ticket, actor, now, "status", ticket.Status, status);
        ticket.Status = status;
        if (status is TicketStatus.Resolved or TicketStatus.Closed) ticket.ResolvedAt ??= now;
        else ticket.ResolvedAt = null;
        ticket.UpdatedAt = now;
    }
}
