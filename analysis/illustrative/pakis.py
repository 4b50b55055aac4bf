"""Facts of the Pakis residents that both generators share (households and interviews).

A module of its own so that the household generator and the interview generator, which reads
the households, do not import each other.
"""

#: Small businesses of the nine core Pakis informants (snake_case, as in households.csv).
PAKIS_BUSINESS_TYPES = {
    "PKS-R01": "food_stall",
    "PKS-R02": "snack_maker",
    "PKS-R03": "tailoring",
    "PKS-R04": "grocery_kiosk",
    "PKS-R05": "motorcycle_repair",
    "PKS-R06": "snack_maker",
    "PKS-R07": "vegetable_seller",
    "PKS-R08": "laundry",
    "PKS-R09": "handicraft",
}
