using System.Globalization;
using System.Text;

namespace Shop.IntegrationTests.Fuzz;

/// <summary>
/// Builds hostile requests for an operation from a seeded <see cref="Random"/>: each case breaks one thing (a path or
/// query parameter, one body property, the whole body, the content type, or the token) and keeps the rest valid, so
/// the broken part is what reaches the API's checks. Values carry whether the contract forbids them.
/// </summary>
public sealed class HostileInputs(Random random, int maxBodyBytes)
{
    private int _serial;

    // (value as it goes on the wire, the contract forbids it)
    private static readonly (string Value, bool Forbidden)[] IntegerTexts =
    [
        ("-1", true), ("0", true), ("-0", true), ("2147483647", false), ("2147483648", true), ("-2147483649", true),
        ("4294967296", true), ("99999999999999999999", true), ("1e309", true), ("1.5", true), ("abc", true), ("0x1F", true),
        ("%00", true), ("%F0%9F%9B%92", true), ("1%0A", false), ("NaN", true), ("Infinity", true), ("", true),
    ];

    private static readonly (string Value, bool Forbidden)[] IdListTexts =
    [
        ("", true), (",", true), ("1,,2", true), ("-1", true), ("0", true), ("abc", true), ("1,1", true), ("2147483648", true),
        ("1e309", true), ("%00", true), ("1;2", true), ("1,2,3", false), ("1,%202", false), ("2147483647", false),
        (string.Join(',', Enumerable.Range(1, 101)), true), (string.Join(',', Enumerable.Range(1, 100)), false),
    ];

    private static readonly string[] HostileStrings =
    [
        "' OR 1=1 --", "<script>alert(1)</script>", "%s%s%n", "../../etc/passwd", "${jndi:ldap://x}", "{{7*7}}", "\u00e9t\u00e9", "🛒",
    ];

    /// <summary>A request for <paramref name="operation"/> with one thing broken (or none: a valid baseline).</summary>
    public FuzzCase Next(OpenApiOperation operation)
    {
        _serial++;
        var kinds = new List<string> { "valid", "auth" };
        if (operation.Parameters.Any(p => p.In == "path")) kinds.AddRange(["path", "path"]);
        if (operation.Parameters.Any(p => p.In == "query")) kinds.AddRange(["query", "query"]);
        if (operation.Body is not null) kinds.AddRange(["property", "property", "property", "body", "body", "content-type"]);
        return Pick(kinds) switch
        {
            "path" => BreakParameter(operation, "path"),
            "query" => BreakParameter(operation, "query"),
            "property" => BreakProperty(operation),
            "body" => BreakBody(operation),
            "content-type" => BreakContentType(operation),
            "auth" => BreakToken(operation),
            _ => Build(operation, "valid baseline", false),
        };
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private FuzzCase Build(OpenApiOperation op, string mutation, bool forbidden, Dictionary<string, string>? path = null,
        Dictionary<string, string>? query = null, byte[]? body = null, string? contentType = "application/json", string tokenKind = "admin")
    {
        var url = op.Path;
        foreach (var p in op.Parameters.Where(p => p.In == "path"))
            url = url.Replace("{" + p.Name + "}", path?.GetValueOrDefault(p.Name) ?? ValidParameter(p), StringComparison.Ordinal);
        var pairs = new List<string>();
        foreach (var p in op.Parameters.Where(p => p.In == "query"))
        {
            if (query?.TryGetValue(p.Name, out var value) == true) pairs.Add(p.Name + "=" + value);
            else if (p.Required || random.Next(2) == 0) pairs.Add(p.Name + "=" + ValidParameter(p));
        }
        if (pairs.Count > 0) url += "?" + string.Join('&', pairs);
        if (op.Body is null) return new FuzzCase(op.Method, url, null, null, FuzzTokens.Create(tokenKind), mutation, forbidden);
        return new FuzzCase(op.Method, url, contentType, body ?? Encoding.UTF8.GetBytes(ValidBody(op.Body)), FuzzTokens.Create(tokenKind), mutation, forbidden);
    }

    private string ValidParameter(OpenApiParameter p) => p.Name switch
    {
        "ids" => string.Join(',', Enumerable.Range(1 + random.Next(50), 1 + random.Next(5))),
        "page" => "1",
        "pageSize" => (1 + random.Next(100)).ToString(CultureInfo.InvariantCulture),
        _ => p.Type is "integer" or "number" ? (1 + random.Next(120)).ToString(CultureInfo.InvariantCulture) : "x",
    };

    private Dictionary<string, string> ValidProperties(IReadOnlyList<OpenApiProperty> properties) =>
        properties.ToDictionary(p => p.Name, p => p.Name switch
        {
            "sku" => Json($"FUZZ-{_serial}-{random.Next(1_000_000)}"),
            "email" => Json($"fuzz{_serial}-{random.Next(1_000_000)}@example.com"),
            "name" => Json("Fuzz item"),
            "description" => Json("A fuzzed product."),
            "price" => "9.99",
            "currency" => Json("EUR"),
            "language" => Json("en"),
            "plan" => Json("pro"),
            "role" => Json("admin"),
            _ => p.Type switch
            {
                "integer" => "1",
                "number" => "1",
                "boolean" => "true",
                "string" => Json("x"),
                _ => "{}",
            },
        }, StringComparer.Ordinal);

    private string ValidBody(IReadOnlyList<OpenApiProperty> properties) => Object(ValidProperties(properties));

    private static string Object(Dictionary<string, string> properties) =>
        "{" + string.Join(",", properties.Select(p => Json(p.Key) + ":" + p.Value)) + "}";

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private FuzzCase BreakParameter(OpenApiOperation op, string where)
    {
        var p = Pick(op.Parameters.Where(x => x.In == where).ToList());
        var (value, forbidden) = p.Name == "ids" ? Pick(IdListTexts)
            : p.Type is "integer" ? Pick(IntegerTexts)
            : (Uri.EscapeDataString(Pick(HostileStrings)), false);
        if (p.Name is not ("id" or "ids") && value is "-1" or "0" or "-0") forbidden = p.Name is "page" or "pageSize";
        if (p.Format == "int64" && value is "2147483648" or "4294967296") forbidden = false; // past int32, within int64 (the events cursor)
        if (p.Name == "after" && value is "-1") forbidden = true; // a cursor is 0 or more
        if (value == "" && where == "path") value = "%20"; // an empty segment would be another route
        // A NUL in the path: Kestrel answers 400 before the app; the in-memory test server throws in the client instead.
        if (where == "path") value = value.Replace("%00", "%01", StringComparison.Ordinal);
        if (value == "" && where == "query") forbidden = p.Name == "ids"; // "page=" is no page: the default applies
        var dict = new Dictionary<string, string> { [p.Name] = value };
        return where == "path"
            ? Build(op, $"path {p.Name}={value}", forbidden, path: dict)
            : Build(op, $"query {p.Name}={(value.Length > 40 ? value[..40] + "..." : value)}", forbidden, query: dict);
    }

    private FuzzCase BreakProperty(OpenApiOperation op)
    {
        var properties = ValidProperties(op.Body!);
        if (properties.Count == 0) return BreakBody(op);
        var p = Pick(op.Body!);
        var optional = p.Name == "description";
        (string Value, bool Forbidden) hostile = random.Next(12) == 0
            ? ("<missing>", !optional && p.Type != "boolean")
            : p.Type switch
            {
                "integer" => Pick<(string, bool)>(
                [
                    ("\"abc\"", true), ("2147483648", true), ("-2147483649", true), ("1e309", true), ("1.5", true), ("null", true),
                    ("true", true), ("[]", true), ("{}", true), ("-1", p.Name.EndsWith("Id", StringComparison.Ordinal)),
                    ("0", p.Name.EndsWith("Id", StringComparison.Ordinal)), ("2147483647", false), ("\"1\"", false),
                ]),
                "number" => Pick<(string, bool)>(
                [
                    ("1e309", true), ("-1e309", true), ("79228162514264337593543950336", true), ("\"abc\"", true), ("null", true),
                    ("[1]", true), ("{}", true), ("true", true), ("-1", p.Name == "price"), ("0", p.Name == "price"), ("-0", p.Name == "price"),
                    ("0.001", p.Name == "price"), ("1e-30", p.Name == "price"), ("1000000.01", p.Name == "price"), ("1E2", false), ("9.99", false),
                ]),
                "boolean" => Pick<(string, bool)>([("\"true\"", true), ("1", true), ("null", true), ("[]", true), ("\"yes\"", true), ("false", false)]),
                _ => Pick<(string, bool)>(
                [
                    ("\"a\\u0000b\"", true), ("\"\\ud800\"", true), ("\"x\\udc00y\"", true), ("\"Cafe\\u0301\"", true), ("\"ab\\u202ecd\"", true),
                    ("\"bell\\u0007\"", true), ("\"x\\u0085\"", true), ("\"x\\n\"", !optional), ("\"x\\r\\n\"", !optional), ("\"\\t\"", !optional),
                    ("123", true), ("true", true), ("[]", true), ("{}", true), ("[\"a\"]", true), ("null", !optional), ("\"\"", !optional),
                    ("\"   \"", !optional), (Json(new string('a', 5000)), true), (Json(new string('€', 4001)), true),
                    (Json(Pick(HostileStrings)), false),
                ]),
            };
        if (hostile.Value == "<missing>") properties.Remove(p.Name);
        else properties[p.Name] = hostile.Value;
        var shown = hostile.Value.Length > 40 ? hostile.Value[..40] + "..." : hostile.Value;
        return Build(op, $"property {p.Name}={shown}", hostile.Forbidden, body: Encoding.UTF8.GetBytes(Object(properties)));
    }

    private FuzzCase BreakBody(OpenApiOperation op)
    {
        var valid = ValidBody(op.Body!);
        var choice = random.Next(16);
        (string Name, byte[] Bytes, bool Forbidden) broken = choice switch
        {
            0 => ("empty", [], true),
            1 => ("truncated", Encoding.UTF8.GetBytes(valid[..(valid.Length / 2)]), true),
            2 => ("array", Encoding.UTF8.GetBytes("[" + valid + "]"), true),
            3 => ("null", Encoding.UTF8.GetBytes("null"), true),
            4 => ("string", Encoding.UTF8.GetBytes("\"x\""), true),
            5 => ("number", Encoding.UTF8.GetBytes("2147483648"), true),
            6 => ("empty object", Encoding.UTF8.GetBytes("{}"), op.Body!.Count > 0),
            7 => ("nested arrays", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), true),
            8 => ("nested objects", Encoding.UTF8.GetBytes(valid.TrimEnd('}') + ",\"deep\":" + string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000) + "}"), true),
            9 => ("trailing garbage", Encoding.UTF8.GetBytes(valid + " x"), true),
            10 => ("comment", Encoding.UTF8.GetBytes("/* c */" + valid), true),
            11 => ("over the size limit", Encoding.UTF8.GetBytes(valid.TrimEnd('}') + ",\"pad\":\"" + new string('p', maxBodyBytes) + "\"}"), true),
            12 => ("invalid UTF-8", [.. Encoding.UTF8.GetBytes("{\"name\":\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")], true),
            13 => ("single quotes", Encoding.UTF8.GetBytes(valid.Replace('"', '\'')), true),
            14 => ("random bytes", RandomBytes(1 + random.Next(200)), true),
            _ => ("UTF-16", Encoding.Unicode.GetBytes(valid), true),
        };
        return Build(op, "body " + broken.Name, broken.Forbidden, body: broken.Bytes);
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (bytes[0] is (byte)'{' or (byte)'[' or (byte)'"') bytes[0] = 0; // keep it from being accidentally valid
        return bytes;
    }

    private FuzzCase BreakContentType(OpenApiOperation op)
    {
        var (type, forbidden) = Pick<(string?, bool)>(
        [
            (null, true), ("text/plain", true), ("application/xml", true), ("multipart/form-data; boundary=x", true),
            ("application/x-www-form-urlencoded", true), ("*/*", true), ("application/json; charset=bogus", true),
            ("application/json; charset=utf-16", true), ("application/json; charset=\"utf-8\"", false), ("application/json; charset=UTF8", false),
            ("application/json; charset=", false), ("application/json;;;", false), ("application/json; charset=utf-8; charset=latin1", false),
            ("application/merge-patch+json", false), ("json", true), ("", true),
        ]);
        return Build(op, $"content-type {type ?? "(none)"}", forbidden, contentType: type);
    }

    private FuzzCase BreakToken(OpenApiOperation op)
    {
        var kind = Pick(FuzzTokens.HostileKinds);
        var forbidden = kind == "customer" ? op.AdminOnly : op.RequiresAuth;
        return Build(op, "token " + kind, forbidden, tokenKind: kind);
    }
}
