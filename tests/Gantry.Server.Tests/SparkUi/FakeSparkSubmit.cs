namespace Gantry.Server.Tests.SparkUi;

/// <summary>
/// A stand-in for <c>spark-submit --master local</c> (no Spark can be installed on the build machine):
/// a real process that serves a driver UI on <c>spark.ui.port</c> the way Spark does behind a proxy
/// (links, assets and the redirect of <c>/</c> under <c>spark.ui.proxyBase</c>, the redirect absolute
/// on the driver's address as Jetty writes it, a session cookie set), and appends every request it
/// receives, path and headers, to the file named by <c>spark.test.requestLog</c>.
/// </summary>
internal static class FakeSparkSubmit
{
    private const string Script = """
        #!/usr/bin/python3
        import http.server, json, sys

        args = sys.argv[1:]
        conf = {}
        for i, a in enumerate(args):
            if a == "--conf" and i + 1 < len(args):
                key, _, value = args[i + 1].partition("=")
                conf[key] = value
        port = int(conf["spark.ui.port"])
        base = conf.get("spark.ui.proxyBase", "").rstrip("/")
        log = conf.get("spark.test.requestLog")

        PAGES = {
            "/jobs/": '<html><head><link rel="stylesheet" href="%s/static/app.css"></head><body><h1>Spark Jobs</h1><a href="%s/executors/">Executors</a></body></html>' % (base, base),
            "/executors/": '<html><head><link rel="stylesheet" href="%s/static/app.css"></head><body><h1>Executors</h1><a href="%s/jobs/">Jobs</a></body></html>' % (base, base),
        }

        class Driver(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.answer(True)

            def do_HEAD(self):
                self.answer(False)

            def do_POST(self):
                self.answer(True)

            def answer(self, with_body):
                if log:
                    with open(log, "a") as f:
                        f.write(json.dumps({"method": self.command, "path": self.path,
                                            "headers": {k.lower(): v for k, v in self.headers.items()}}) + "\n")
                path = self.path.split("?")[0]
                if path == "/":
                    self.send_response(302)
                    self.send_header("Location", "http://%s%s/jobs/" % (self.headers["Host"], base))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif path in PAGES:
                    self.send(200, "text/html;charset=utf-8", PAGES[path], with_body)
                elif path == "/static/app.css":
                    self.send(200, "text/css", "h1 { color: #e25a1c; }\n", with_body)
                else:
                    self.send(404, "text/plain", "no such page\n", with_body)

            def send(self, status, content_type, text, with_body):
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Set-Cookie", "JSESSIONID=driver; Path=/")
                self.end_headers()
                if with_body:
                    self.wfile.write(data)

            def log_message(self, *args):
                pass

        print("INFO SparkContext: Running Spark version 3.5.3 (fake); UI on port %d" % port, flush=True)
        http.server.ThreadingHTTPServer(("127.0.0.1", port), Driver).serve_forever()
        """;

    /// <summary>Writes the script, executable by every user (jobs run under their own uids when the tests run as root), into <paramref name="directory"/> and answers its path.</summary>
    public static string Install(string directory)
    {
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var path = Path.Combine(directory, "spark-submit");
        File.WriteAllText(path, Script);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }
}
