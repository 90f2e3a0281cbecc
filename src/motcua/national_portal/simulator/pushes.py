"""What the portal sends motcua, signed like its connector: a dossier submitted on the portal (§10.8) and the
payment platform's bill lookup."""

import json
import time

from .sample_data import sample_portal_dossier


class PushMixin:
    """The pushes of PortalSimulator to motcua (``motcua_url``)."""

    def _signed_post(self, path: str, payload: dict, body: dict) -> tuple[int | None, object]:
        """POST `payload` to motcua at `path`, signed like the portal's connector would; (HTTP status, reply)."""
        import urllib.error
        import urllib.request

        from ..inbound import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

        with self.lock:
            url = self.motcua_url.rstrip("/") + path
            secret = str(body.get("secret", self.inbound_secret))
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if not body.get("unsigned"):
            stamp = str(int(body.get("timestamp", time.time())))
            headers |= {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: signature(secret, stamp, data)}
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, OSError) as error:
            return None, f"Không gọi được motcua: {error}"
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def push_dossier(self, body) -> tuple:
        """Push one portal dossier to motcua, signed like the portal's connector would (§10.8)."""
        body = body or {}
        with self.lock:
            dossier = body.get("dossier") or sample_portal_dossier(len(self.pushed) + 1)
        if not self.motcua_url:
            return self._json({"error": "motcua_url chưa được cấu hình."}, "400 Bad Request")
        status, reply = self._signed_post(self.inbound_path, dossier, body)
        if status is None:
            return self._json({"error": reply}, "502 Bad Gateway")
        with self.lock:
            self.pushed.append({"MaHoSo": dossier.get("MaHoSo"), "status": status, "reply": reply})
        return self._json({"status": status, "reply": reply})

    def lookup_payment(self, body) -> tuple:
        """The payment platform asks motcua for a dossier's bill (`dptracuuthanhtoanhs`, §1.2, §10.8).

        A bill (error_code "1") becomes a pending transaction of the platform under its `transaction_id`, payable
        on the payer's page (/thanh-toan/<transaction_id>), whose signed result goes to the bill's
        `UrlThongBao`. Asking again for the same bill keeps the one transaction."""
        body = body or {}
        if not self.motcua_url:
            return self._json({"error": "motcua_url chưa được cấu hình."}, "400 Bad Request")
        payload = (
            body.get("payload") if isinstance(body.get("payload"), dict) else {"MaHoSo": body.get("MaHoSo")}
        )
        status, reply = self._signed_post(self.payment_lookup_path, payload, body)
        if status is None:
            return self._json({"error": reply}, "502 Bad Gateway")
        answer = {"status": status, "reply": reply}
        bill = (
            reply.get("message") if isinstance(reply, dict) and str(reply.get("error_code")) == "1" else None
        )
        if isinstance(bill, dict):
            problem = ""
            if bill.get("client_id") != self.payments.partner_code:
                problem = "client_id không khớp mã đối tác của nền tảng thanh toán."
            try:
                amount = int(bill.get("SoTien", ""))
            except (TypeError, ValueError):
                amount, problem = 0, problem or "SoTien không phải số."
            reference = str(bill.get("transaction_id") or "")
            if not reference:
                problem = problem or "Thiếu transaction_id."
            if problem:
                answer["error"] = problem
            else:
                with self.payments.lock:
                    if reference not in self.payments.transactions:
                        self.payments.transactions[reference] = {
                            "reference": reference,
                            "amount": amount,
                            "description": bill.get("NoiDungThanhToan", ""),
                            "payer": bill.get("HoTenNguoiNop", ""),
                            "callback_url": bill.get("UrlThongBao", ""),
                            "return_url": "",
                            "state": "pending",
                            "transaction_id": "",
                            "paid_at": "",
                            "deliveries": [],
                            "init": bill,
                        }
                answer["UrlThanhToan"] = f"{self.payments.public_url}/thanh-toan/{reference}"
        with self.lock:
            self.payment_lookups.append({"MaHoSo": payload.get("MaHoSo"), "status": status, "reply": reply})
        return self._json(answer)
