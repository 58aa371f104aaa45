using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using Gantry.Core.Labels;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>A request's <c>labelSelector</c> and <c>fieldSelector</c> together.</summary>
internal sealed class ObjectFilter(LabelSelector labels, FieldSelector fields)
{
    public static ObjectFilter From(IQueryCollection query)
    {
        try
        {
            return new ObjectFilter(LabelSelector.Parse(query["labelSelector"].ToString()), FieldSelector.Parse(query["fieldSelector"]));
        }
        catch (ValidationException e)
        {
            throw ApiErrors.BadRequest($"unable to parse requirement: {e.Message}");
        }
    }

    public bool Matches(JsonObject obj) => labels.Matches(obj.Labels()) && fields.Matches(obj);
}
