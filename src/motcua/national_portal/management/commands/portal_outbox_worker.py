import logging
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection, connections

from motcua.national_portal import conf, outbox

logger = logging.getLogger("motcua.national_portal.worker")


class Command(BaseCommand):
    help = "Gửi hàng đợi đồng bộ lên Cổng DVCQG: một lượt (--once) hoặc liên tục, vài giây một lượt."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Gửi một lượt rồi dừng.")
        parser.add_argument("--interval", type=float, default=2.0, help="Số giây giữa hai lượt (mặc định 2).")
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            help="Số hồ sơ gửi song song (mặc định 4; 1: lần lượt từng hồ sơ). Bản tin của một hồ sơ luôn đi theo thứ tự.",
        )

    def handle(self, *args, once, interval, threads, **options):
        if threads < 1:
            raise CommandError("--threads phải từ 1 trở lên.")
        if not conf.is_enabled():
            self.stdout.write("Kết nối Cổng DVCQG đang tắt (NATIONAL_PORTAL_URL trống).")
            if once:
                return
        executor = None
        if threads > 1:
            fit_pool(threads + 1)
            executor = outbox.DeliveryThreads(threads)
        try:
            self.run(once=once, interval=interval, executor=executor)
        finally:
            if executor is not None:
                executor.shutdown()

    def run(self, *, once, interval, executor):
        pause = interval
        while True:
            if not connection.in_atomic_block:
                # Drop a connection the database closed or that outlived CONN_MAX_AGE (as Django does per request).
                close_old_connections()
            report = outbox.PassReport()
            if conf.is_enabled():
                try:
                    report = outbox.deliver_pending(conf.get_connector(), executor=executor)
                except ValidationError as error:
                    raise CommandError(f"Cấu hình Cổng DVCQG sai: {error.messages}") from error
                except Exception:
                    # A database hiccup must not stop the worker: log it and try again next pass.
                    if once:
                        raise
                    logger.exception("national portal worker pass failed")
                    report.unreachable = True
                if report.delivered or report.failed:
                    self.stdout.write(
                        f"Đã gửi {report.delivered}, gửi lại sau {report.retried}, lỗi {report.failed}."
                    )
            if once:
                return
            # While the portal is down, wait longer between passes (up to a minute).
            pause = min(pause * 2, 60.0) if report.unreachable else interval
            time.sleep(pause)


def fit_pool(size: int, handler=connections) -> None:
    """Let this process's connection pools lend `size` connections at once (the delivery threads and the main
    loop each hold one while they work), so that no thread waits for another's connection during a portal call.
    The web server's pool size (MOTCUA_DB_POOL_MAX_SIZE, its threads) is usually smaller; a pool already opened
    with fewer is reopened."""
    for alias in handler:
        wrapper = handler[alias]
        pool = wrapper.settings_dict.get("OPTIONS", {}).get("pool")
        if not isinstance(pool, dict) or pool.get("max_size", size) >= size:
            continue
        wrapper.settings_dict["OPTIONS"]["pool"] = {**pool, "max_size": size}
        wrapper.close()
        wrapper.close_pool()
