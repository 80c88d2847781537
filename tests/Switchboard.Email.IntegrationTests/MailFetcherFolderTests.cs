using Switchboard.Core.Data;
using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>A mailbox that reads another folder than the inbox, and what happens when that folder is replaced.</summary>
public sealed class MailFetcherFolderTests
{
    [Fact]
    public async Task ImapFetch_FolderRecreatedWithNewUidValidity_ReadsItAgainWithoutDuplicates()
    {
        var server = TestMailServer.Current;
        var user = TestMailServer.NewUser("folder");
        var address = HelpDesk.NewAddress();
        var first = TestMail.Plain(TestMail.NewCustomer(), address, "Cracked screen", "Dropped it once.");
        var second = TestMail.Plain(TestMail.NewCustomer(), address, "Battery drains", "Empty by noon.");
        await server.RecreateFolderAsync(user, "Support");
        await server.AppendToAsync(user, "Support", first, second);
        await server.AppendAsync(user, TestMail.Plain(TestMail.NewCustomer(), address, "Not for the help desk", "This is in the inbox."));
        await using var instance = await EmailInstance.CreateAsync(DatabaseProvider.Sqlite);
        // The server tells an idling client nothing when its folder is deleted; the fetcher finds out
        // when it renews IDLE, so renew often here.
        await using var host = await instance.StartHostAsync(new Dictionary<string, string?> { ["Email:IdleRenewal"] = "00:00:03" });
        var departmentId = await host.Desk.CreateDepartmentAsync();
        await host.Desk.CreateImapMailboxAsync(user, departmentId, address, folder: "Support");
        await host.Desk.WaitForTicketsAsync(departmentId, 2);

        // A server migration or restore: the same messages under new UIDs, and a new one.
        await server.RecreateFolderAsync(user, "Support");
        await server.AppendToAsync(user, "Support", first, second, TestMail.Plain(TestMail.NewCustomer(), address, "Speaker crackles", "At full volume."));

        var tickets = await host.Desk.WaitForTicketsAsync(departmentId, 3);
        Assert.Equal(["Battery drains", "Cracked screen", "Speaker crackles"], tickets.Select(t => t.Str("subject")).Order(StringComparer.Ordinal));
        Assert.All(tickets, t => Assert.Equal(1, t.GetProperty("messageCount").GetInt32()));
    }
}
