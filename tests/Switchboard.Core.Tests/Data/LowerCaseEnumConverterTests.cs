using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Core.Tests.Data;

public class LowerCaseEnumConverterTests
{
    [Fact]
    public void Stored_AsLowerCaseName_AndReadBack()
    {
        var converter = new LowerCaseEnumConverter<TicketStatus>();

        Assert.Equal("pending", converter.ConvertToProvider(TicketStatus.Pending));
        Assert.Equal(TicketStatus.Pending, converter.ConvertFromProvider("pending"));
    }

    [Fact]
    public void EmptyValue_FromAColumnAddedToExistingRows_ReadsAsDefault()
    {
        var converter = new LowerCaseEnumConverter<SlaStatus>();

        Assert.Equal(SlaStatus.None, converter.ConvertFromProvider(""));
    }
}
