using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Automation.Tests;

public class WebhookTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    public void IsRefused_InternalAddresses_AreRefused(string address)
    {
        Assert.True(WebhookAddressGuard.IsRefused(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    public void IsRefused_PublicAddresses_AreAllowed(string address)
    {
        Assert.False(WebhookAddressGuard.IsRefused(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task ResolveChecked_LocalhostName_IsRefused()
    {
        var e = await Assert.ThrowsAsync<WebhookRefusedException>(() => WebhookSender.ResolveCheckedAsync("localhost", allowPrivate: false, CancellationToken.None));

        Assert.Contains("Automation:AllowPrivateWebhookTargets", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveChecked_PrivateAllowed_ReturnsTheAddresses()
    {
        var addresses = await WebhookSender.ResolveCheckedAsync("127.0.0.1", allowPrivate: true, CancellationToken.None);

        Assert.Equal([IPAddress.Loopback], addresses);
    }

    [Fact]
    public void Sign_IsHmacSha256OfTheBody()
    {
        var body = Encoding.UTF8.GetBytes("""{"ticket":{"id":1}}""");

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("a secret of sixteen"), body));

        Assert.Equal(expected, WebhookSender.Sign("a secret of sixteen", body));
    }
}
