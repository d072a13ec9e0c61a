# boothd image: Debian 12, built from source. Packages come from scripts/packages.txt (the same
# list scripts/setup uses): set `build` in the build stage, set `image` in the runtime stage.
#
#   docker compose up --build            (see docker-compose.yml: PostgreSQL 15 + boothd --demo)
#   docker build -t boothd .
#   docker run -p 8080:8080 -e DATABASE_URL=postgresql://user:pw@host:5432/boothd boothd --demo

# ---- build ------------------------------------------------------------------------------------
FROM debian:bookworm-slim AS build
COPY scripts/packages.txt scripts/lib.sh scripts/setup /src/scripts/
RUN /src/scripts/setup --packages build --no-recommends \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
 && cmake --build build -j"$(nproc)" --target boothd \
 && strip --strip-debug -o /boothd build/boothd

# ---- runtime ----------------------------------------------------------------------------------
FROM debian:bookworm-slim
COPY scripts/packages.txt scripts/lib.sh scripts/setup /tmp/setup/
RUN /tmp/setup/setup --packages image --no-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/setup \
 && useradd --system --user-group --home-dir /srv/boothd --no-create-home --shell /usr/sbin/nologin boothd
COPY --from=build /boothd /usr/local/bin/boothd
COPY --from=build /src/booth-assets /srv/boothd/booth-assets
WORKDIR /srv/boothd
USER boothd
ENV BOOTHD_PORT=8080
EXPOSE 8080
# /healthz answers 200 only while the database answers
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${BOOTHD_PORT}/healthz" || exit 1
# boothd stops cleanly on SIGTERM (docker stop): sessions get close 1001, queries finish
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/boothd", "--assets", "/srv/boothd/booth-assets"]
CMD []
