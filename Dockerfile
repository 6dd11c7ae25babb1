# Multi-stage build of `tick`; the runtime image runs `tick serve` as a non-root user.
#   docker build -t tick .
#   docker run -p 9092:9092 -v $PWD/tasks:/etc/tick/tasks:ro tick
FROM rust:1.89-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin tick && strip target/release/tick

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /var/lib/tick --create-home tick \
    && mkdir -p /etc/tick/tasks /etc/tick/handlers \
    && chown tick /var/lib/tick
COPY --from=build /src/target/release/tick /usr/local/bin/tick
COPY examples/compose/tick.toml /etc/tick/tick.toml
USER tick
WORKDIR /var/lib/tick
EXPOSE 9092
ENTRYPOINT ["tick", "serve"]
CMD ["--config", "/etc/tick/tick.toml"]
