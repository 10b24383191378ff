# "25 січня 2025, 14:30": the month in the genitive, no leading zero, no "р.".
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
