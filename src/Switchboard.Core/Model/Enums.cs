namespace Switchboard.Core.Model;

public enum TicketStatus { New, Open, Pending, Answered, Resolved, Closed, Spam }

public enum TicketPriority { Low, Normal, High, Urgent }

/// <summary>Where a ticket or message came from.</summary>
public enum Channel { Email, Chat, Phone, Sms, Social, Form, Portal, Api, Web }

public enum AgentRole { Agent, Admin, Owner }

public enum AgentAvailability { Offline, Online, Away }

public enum AssignmentMode { Manual, RoundRobin, LeastLoaded }

/// <summary>The customer's verdict on how a ticket or chat was handled.</summary>
public enum SatisfactionRating { None, Good, Bad }

public enum MessageKind { Reply, Note }

public enum MessageDirection { Inbound, Outbound, Internal }

public enum ActorType { Agent, Contact, System }

public enum IdentityType { Email, Phone, Handle }

public enum TokenKind { Session, Api }

public enum SearchEntryKind { Subject, Message, Contact }
