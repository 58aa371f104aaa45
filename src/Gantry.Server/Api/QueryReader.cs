using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>Typed query parameters that answer 400 naming the parameter when they are wrong.</summary>
internal static class QueryReader
{
    public static int? Int(HttpRequest request, string name, int min, int max)
    {
        string? text = request.Query[name];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw RequestException.BadField(name, $"must be a whole number from {min} to {max}");
        }
        return value;
    }

    public static bool Bool(HttpRequest request, string name)
    {
        string? text = request.Query[name];
        return text switch
        {
            null or "" or "false" or "0" => false,
            "true" or "1" => true,
            _ => throw RequestException.BadField(name, "must be true or false"),
        };
    }

    public static string? String(HttpRequest request, string name)
    {
        string? text = request.Query[name];
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>
    /// The <c>owner</c> filter of a list: a user sees only their own things, so the caller's name
    /// unless an admin names another owner (or none, for everyone's). A user naming someone else is
    /// refused rather than quietly shown their own list.
    /// </summary>
    /// <param name="what">What is listed, for the refusal ("jobs", "experiments").</param>
    public static string? Owner(HttpRequest request, Auth.Caller caller, string what)
    {
        var owner = String(request, "owner");
        if (caller.IsAdmin)
        {
            return owner;
        }
        if (owner is not null && owner != caller.Name)
        {
            throw new Core.Errors.ForbiddenException($"Only an admin may list other users' {what}.");
        }
        return caller.Name;
    }

    /// <summary>Parses <c>State1,State2</c> into enum values, exactly as the contract spells them.</summary>
    public static IReadOnlyList<T> Enums<T>(HttpRequest request, string name) where T : struct, Enum
    {
        var text = String(request, name);
        if (text is null)
        {
            return [];
        }
        var values = new List<T>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<T>(part, ignoreCase: false, out var value) || !Enum.IsDefined(value) || char.IsDigit(part[0]))
            {
                throw RequestException.BadField(name, $"'{part}' is not one of {string.Join(", ", Enum.GetNames<T>())}");
            }
            values.Add(value);
        }
        return values;
    }
}
