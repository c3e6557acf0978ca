using System.Net;
using MailOps.Core.Messages;
using Xunit;

namespace MailOps.Core.Tests.Messages;

/// <summary>The connecting client read from the Received header forms real MTAs write.</summary>
public sealed class ReceivedHeaderTests
{
    [Theory]
    [InlineData("from mail.contoso.example (mail.contoso.example [192.0.2.1]) by mx.example.net (Postfix) with ESMTPS id 4F; Sun, 1 Jun 2025 10:00:00 +0000", "192.0.2.1", "mail.contoso.example")]
    [InlineData("from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id x; Sun, 1 Jun 2025 10:00:00 -0700", "209.85.220.41", "mail-sor-f41.google.com")]
    [InlineData("from rdns.example.org ([198.51.100.7] helo=mail.example.org) by mx.example.net with esmtp (Exim 4.96); Sun, 1 Jun 2025", "198.51.100.7", "mail.example.org")]
    [InlineData("from [192.0.2.9] by mx.example.net; Sun, 1 Jun 2025", "192.0.2.9", "192.0.2.9")]
    [InlineData("from out.example.com (unknown [IPv6:2001:db8::25]) by mx.example.net (Postfix); Sun, 1 Jun 2025", "2001:db8::25", "out.example.com")]
    [InlineData("from AM6PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:20b:1::1) by AM0PR01MB5678.eurprd01.prod.exchangelabs.com (2603:10a6:208:2::2) with Microsoft SMTP Server", "2603:10a6:20b:1::1", "AM6PR01MB1234.eurprd01.prod.exchangelabs.com")]
    public void Client_address_and_helo_are_read_from_the_from_clause(string value, string address, string helo)
    {
        Assert.True(ReceivedHeader.TryParse(value, out IPAddress? ip, out string? name));

        Assert.Equal(IPAddress.Parse(address), ip);
        Assert.Equal(helo, name);
    }

    [Theory]
    [InlineData("by mx.example.net with LMTP id abc; Sun, 1 Jun 2025 10:00:00 +0000")]
    [InlineData("from jgh by myhost.test.ex with local (Exim x.yz)")]
    [InlineData("")]
    public void Header_without_a_client_address_gives_none(string value)
    {
        Assert.False(ReceivedHeader.TryParse(value, out IPAddress? ip, out _));
        Assert.Null(ip);
    }

    [Fact]
    public void Address_of_the_receiving_host_after_by_is_never_taken_as_the_client()
    {
        Assert.False(ReceivedHeader.TryParse("from localhost by mx.example.net (mx.example.net [192.0.2.250]) with ESMTP", out IPAddress? ip, out _));
        Assert.Null(ip);
    }
}
