using Gantry.Core.Errors;
using Gantry.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Tests.Api;

/// <summary>Errors that no endpoint raises yet still map to a 4xx naming the field, never to a 500.</summary>
public sealed class ProblemMappingTests
{
    [Fact]
    public void Not_supported_yet_is_a_422_naming_each_field()
    {
        var problem = GantryExceptionHandler.Map(new NotSupportedYetException(
            "This algorithm is not supported yet.",
            new Dictionary<string, string[]> { ["manifest.spec.algorithm.algorithmName"] = ["bayesianoptimization is not supported yet"] }));

        var validation = Assert.IsType<HttpValidationProblemDetails>(problem);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, validation.Status);
        Assert.Equal("Not supported yet", validation.Title);
        Assert.Contains("manifest.spec.algorithm.algorithmName", validation.Errors.Keys);
        Assert.Contains("bayesianoptimization", validation.Detail, StringComparison.Ordinal);
    }
}
