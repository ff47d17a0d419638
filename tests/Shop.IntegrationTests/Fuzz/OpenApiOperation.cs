using System.Text.Json;

namespace Shop.IntegrationTests.Fuzz;

/// <summary>A parameter of an operation: where it goes (path or query), its JSON schema type, whether it is required, its format (int64…).</summary>
public sealed record OpenApiParameter(string Name, string In, string Type, bool Required, string? Format = null);

/// <summary>A property of a JSON request body and its schema type.</summary>
public sealed record OpenApiProperty(string Name, string Type);

/// <summary>
/// One operation of the OpenAPI document, as much of it as the fuzzer needs. <see cref="RequiresAuth"/>: the
/// operation declares a security requirement of its own or a 401 response; <see cref="AdminOnly"/>: its summary says
/// "(admin)", so a customer's token must be refused.
/// </summary>
public sealed record OpenApiOperation(
    string Method, string Path, IReadOnlyList<OpenApiParameter> Parameters, IReadOnlyList<OpenApiProperty>? Body,
    bool RequiresAuth, bool AdminOnly)
{
    public override string ToString() => $"{Method} {Path}";

    public static List<OpenApiOperation> Parse(JsonElement document)
    {
        var operations = new List<OpenApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is "parameters" or "summary" or "description" or "servers") continue;
                var op = operation.Value;
                var parameters = new List<OpenApiParameter>();
                if (op.TryGetProperty("parameters", out var ps))
                {
                    foreach (var p in ps.EnumerateArray())
                    {
                        var schema = p.TryGetProperty("schema", out var s) ? Resolve(document, s) : default;
                        parameters.Add(new OpenApiParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                            TypeOf(schema), p.TryGetProperty("required", out var r) && r.GetBoolean(),
                            schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null));
                    }
                }
                List<OpenApiProperty>? body = null;
                if (op.TryGetProperty("requestBody", out var rb) && rb.TryGetProperty("content", out var content))
                {
                    foreach (var media in content.EnumerateObject())
                    {
                        var schema = Resolve(document, media.Value.GetProperty("schema"));
                        body = schema.TryGetProperty("properties", out var props)
                            ? [.. props.EnumerateObject().Select(prop => new OpenApiProperty(prop.Name, TypeOf(Resolve(document, prop.Value))))]
                            : [];
                        break;
                    }
                }
                var requiresAuth = (op.TryGetProperty("security", out var security) && security.EnumerateArray().Any(req => req.EnumerateObject().Any()))
                    || (op.TryGetProperty("responses", out var responses) && responses.TryGetProperty("401", out _));
                var adminOnly = op.TryGetProperty("summary", out var summary) && summary.GetString()!.Contains("(admin)", StringComparison.Ordinal);
                operations.Add(new OpenApiOperation(operation.Name.ToUpperInvariant(), path.Name, parameters, body, requiresAuth, adminOnly));
            }
        }
        return operations;
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var node = document;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/')) node = node.GetProperty(part);
            return node;
        }
        return schema;
    }

    /// <summary>The schema's type ("integer", "string", ...), reading OpenAPI 3.0 ("type": "x") and 3.1 ("type": ["x", "null"]).</summary>
    private static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type)) return "object";
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).FirstOrDefault(t => t != "null") ?? "object"
            : type.GetString()!;
    }
}
