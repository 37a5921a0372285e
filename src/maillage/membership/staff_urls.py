"""Staff pages of the membership, under /gestion/adhesions/."""

from django.urls import path

from maillage.membership import staff_applications, staff_dashboard, staff_dues, staff_imports

app_name = "membership_staff"
urlpatterns = [
    # Applications (staff_applications.py)
    path("demandes/", staff_applications.application_list, name="application_list"),
    path("demandes/<int:pk>/", staff_applications.application_detail, name="application"),
    # Dashboard, members and exports (staff_dashboard.py)
    path("", staff_dashboard.dashboard, name="dashboard"),
    path("membres/", staff_dashboard.member_list, name="member_list"),
    path("membres/export.<str:file_format>", staff_dashboard.member_export, name="member_export"),
    path("membres/<int:pk>/", staff_dashboard.member_detail, name="member"),
    path("membres/<int:pk>/fin/", staff_dashboard.member_end, name="member_end"),
    path("journal.csv", staff_dashboard.payment_journal, name="payment_journal"),
    # Dues, payments and receipts (staff_dues.py)
    path("cotisations/", staff_dues.year_list, name="year_list"),
    path("cotisations/<int:year>/", staff_dues.year_detail, name="year"),
    path("cotisations/<int:year>/appel/", staff_dues.call_launch, name="call_launch"),
    path("cotisations/<int:year>/export.<str:file_format>", staff_dues.dues_export, name="dues_export"),
    path("cotisation/<int:pk>/", staff_dues.dues_detail, name="dues"),
    path("cotisation/<int:pk>/montant/", staff_dues.dues_amount, name="dues_amount"),
    path("cotisation/<int:pk>/paiement/", staff_dues.payment_add, name="payment_add"),
    path("cotisation/<int:pk>/remboursement/", staff_dues.refund_add, name="refund_add"),
    path("paiement/<int:pk>/annulation/", staff_dues.payment_cancel, name="payment_cancel"),
    path("recu/<int:pk>.pdf", staff_dues.receipt_pdf, name="receipt_pdf"),
    # Bank statement and HelloAsso imports (staff_imports.py)
    path("releves/", staff_imports.statement_upload, name="statement_upload"),
    path("releves/<str:token>/", staff_imports.statement_match, name="statement_match"),
]
