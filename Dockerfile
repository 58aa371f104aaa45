# syntax=docker/dockerfile:1
# Gantry's image: `gantry serve` on the ASP.NET Core runtime, non-root, with the dashboard.
#   docker build -t registry.example.com/gantry:0.1.0 .
# Not built in this repository's CI (no registry or container daemon there); scripts/check-publish.sh
# runs this file's publish command (scripts/publish.sh) and starts what it makes on its own.
# docs/deploy.md, "The image".

# Node.js for the dashboard's npm build: the .NET SDK image has none (and Ubuntu's is too old for Vite).
FROM node:22-bookworm-slim AS node

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
WORKDIR /src
# Restore first, from the project files alone, so that a source change does not download packages again.
COPY Directory.Build.props Directory.Packages.props Gantry.slnx ./
COPY src/Gantry.Core/Gantry.Core.csproj src/Gantry.Core/
COPY src/Gantry.Storage/Gantry.Storage.csproj src/Gantry.Storage/
COPY src/Gantry.Backends/Gantry.Backends.csproj src/Gantry.Backends/
COPY src/Gantry.Server/Gantry.Server.csproj src/Gantry.Server/Dashboard.targets src/Gantry.Server/
COPY src/Gantry.Sandbox/Gantry.Sandbox.csproj src/Gantry.Sandbox/
COPY src/Gantry.Cli/Gantry.Cli.csproj src/Gantry.Cli/
RUN dotnet restore src/Gantry.Cli
COPY web/package.json web/package-lock.json web/
RUN cd web && npm ci --no-audit --no-fund --loglevel=error
COPY . .
# The server's build runs `npm run build` in web/ and ships the dashboard as wwwroot/.
RUN bash scripts/publish.sh /app && test -f /app/wwwroot/index.html

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The data dir (SQLite, admin.token, keyring.pfx): a volume, owned by the image's non-root user
# `app` ($APP_UID, 1654), mode 0700 as Gantry wants it.
RUN mkdir -p /var/lib/gantry && chown "$APP_UID:$APP_UID" /var/lib/gantry && chmod 0700 /var/lib/gantry
VOLUME ["/var/lib/gantry"]
ENV GANTRY_DATA_DIR=/var/lib/gantry \
    GANTRY_URLS=http://0.0.0.0:8080 \
    GANTRY_UI_URLS=http://0.0.0.0:8081 \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_NOLOGO=1
EXPOSE 8080 8081
USER $APP_UID
ENTRYPOINT ["/app/gantry"]
CMD ["serve"]
